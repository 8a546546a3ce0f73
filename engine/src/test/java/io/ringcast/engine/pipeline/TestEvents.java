package io.ringcast.engine.pipeline;

import io.ringcast.engine.replay.ReplayJob;
import io.ringcast.journal.JournalDescriptor;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.Subscriber;

import java.nio.charset.StandardCharsets;

/** Ring slots filled as the journal handler leaves them, for driving the fan-out on the test thread. */
public final class TestEvents
{
    private TestEvents()
    {
    }

    /** A journaled message {@code id} on {@code topic}. */
    public static MessageEvent message(final long id, final String topic, final String payload)
    {
        final MessageEvent event = new MessageEvent();
        event.type = MessageEvent.TYPE_MESSAGE;
        event.status = PublishStatus.OK;
        event.id = id;
        event.flags = 0;
        final byte[] target = topic.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(target, 0, event.target, 0, target.length);
        event.targetLength = target.length;
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, event.payloadForWrite(bytes.length), 0, bytes.length);
        event.payloadLength = bytes.length;
        return event;
    }

    /** A journaled message {@code id} for {@code group}. */
    public static MessageEvent groupMessage(final long id, final String group, final String payload)
    {
        final MessageEvent event = message(id, group, payload);
        event.flags = JournalDescriptor.FLAG_GROUP;
        return event;
    }

    public static MessageEvent request(final Subscriber session, final ClientRequest request)
    {
        final MessageEvent event = new MessageEvent();
        event.type = MessageEvent.TYPE_CLIENT_REQUEST;
        event.session = session;
        event.request = request;
        return event;
    }

    public static MessageEvent closed(final Subscriber session)
    {
        final MessageEvent event = new MessageEvent();
        event.type = MessageEvent.TYPE_CLIENT_CLOSED;
        event.session = session;
        return event;
    }

    public static MessageEvent rejoin(final ReplayJob job)
    {
        final MessageEvent event = new MessageEvent();
        event.type = MessageEvent.TYPE_REJOIN;
        event.session = job.session();
        event.job = job;
        return event;
    }

    public static MessageEvent replayJobsWanted()
    {
        final MessageEvent event = new MessageEvent();
        event.type = MessageEvent.TYPE_REPLAY_JOBS_WANTED;
        return event;
    }
}
