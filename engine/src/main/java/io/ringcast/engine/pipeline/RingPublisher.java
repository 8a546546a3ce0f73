package io.ringcast.engine.pipeline;

import com.lmax.disruptor.EventTranslator;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.RingBuffer;
import io.ringcast.engine.replay.RejoinRequests;
import io.ringcast.engine.replay.ReplayJob;
import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.MessagePublisher;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;

/**
 * Claims ring slots for publishers and client commands and copies them in through translators: the slots are
 * preallocated, so a publish allocates nothing. Safe for many producer threads.
 */
public final class RingPublisher implements MessagePublisher, RejoinRequests
{
    private static final EventTranslatorOneArg<MessageEvent, ReplayJob> REJOIN = (event, sequence, job) ->
    {
        event.type = MessageEvent.TYPE_REJOIN;
        event.replier = null;
        event.session = job.session();
        event.request = null;
        event.job = job;
    };

    private static final EventTranslator<MessageEvent> REPLAY_JOBS_WANTED = (event, sequence) ->
    {
        event.type = MessageEvent.TYPE_REPLAY_JOBS_WANTED;
        event.replier = null;
        event.session = null;
        event.request = null;
        event.job = null;
    };

    private static final EventTranslatorOneArg<MessageEvent, InboundMessage> MESSAGE = (event, sequence, message) ->
    {
        event.type = MessageEvent.TYPE_MESSAGE;
        event.status = message.status();
        event.id = 0;
        event.flags = message.flags();
        final PublishReplier replier = message.replier();
        if (event.replier != replier)
        {
            // A slot keeps a publisher connection's replier between laps: usually no store, no write barrier work.
            event.replier = replier;
        }
        event.session = null;
        event.request = null;
        final int targetLength = message.targetLength();
        final int payloadLength = message.payloadLength();
        event.targetLength = targetLength;
        event.payloadLength = payloadLength;
        if (message.buffer() != null)
        {
            message.buffer().getBytes(message.targetOffset(), event.target, 0, targetLength);
            message.buffer().getBytes(message.payloadOffset(), event.payloadForWrite(payloadLength), 0, payloadLength);
        }
    };

    private static final EventTranslatorTwoArg<MessageEvent, Subscriber, ClientRequest> REQUEST =
        (event, sequence, session, request) ->
        {
            event.type = MessageEvent.TYPE_CLIENT_REQUEST;
            event.replier = null;
            event.session = session;
            event.request = request;
        };

    private static final EventTranslatorOneArg<MessageEvent, Subscriber> CLOSED = (event, sequence, session) ->
    {
        event.type = MessageEvent.TYPE_CLIENT_CLOSED;
        event.replier = null;
        event.session = session;
        event.request = null;
    };

    private final RingBuffer<MessageEvent> ringBuffer;

    public RingPublisher(final RingBuffer<MessageEvent> ringBuffer)
    {
        this.ringBuffer = ringBuffer;
    }

    @Override
    public boolean publish(final InboundMessage message)
    {
        return ringBuffer.tryPublishEvent(MESSAGE, message);
    }

    @Override
    public boolean request(final Subscriber session, final ClientRequest request)
    {
        return ringBuffer.tryPublishEvent(REQUEST, session, request);
    }

    @Override
    public boolean requestRejoin(final ReplayJob job)
    {
        return ringBuffer.tryPublishEvent(REJOIN, job);
    }

    @Override
    public boolean requestPendingJobs()
    {
        return ringBuffer.tryPublishEvent(REPLAY_JOBS_WANTED);
    }

    @Override
    public boolean closed(final Subscriber session)
    {
        return ringBuffer.tryPublishEvent(CLOSED, session);
    }
}
