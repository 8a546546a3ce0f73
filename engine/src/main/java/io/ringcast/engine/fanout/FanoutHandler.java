package io.ringcast.engine.fanout;

import com.lmax.disruptor.EventHandler;
import io.ringcast.engine.pipeline.MessageEvent;
import io.ringcast.engine.replay.ReplayJob;
import io.ringcast.transport.ReplayStream;
import io.ringcast.engine.replay.ReplayAgent;
import io.ringcast.journal.JournalDescriptor;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.codec.JsonText;
import io.ringcast.transport.metrics.Metrics;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.websocket.FrameEncoder;
import io.ringcast.transport.websocket.WebSocketFrames;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Second consumer of the ring, after the journal: for each journaled message, encodes the outgoing WebSocket frame
 * once and copies it into the off-heap buffer of every subscriber of its topic (or member of its group); at the end
 * of the batch it asks each touched client's I/O thread to flush. It also applies client commands, in ring order,
 * and owns every subscription table: nothing here is shared, so nothing is locked.
 * <p>
 * A client whose buffer cannot take the next frame leaves the live fan-out and is caught up from the journal by the
 * replay thread until it rejoins; the others never wait for it.
 */
public final class FanoutHandler implements EventHandler<MessageEvent>
{
    private static final Logger LOG = Logger.getLogger(FanoutHandler.class.getName());
    /**
     * Frames queued after which the touched clients are flushed even in the middle of a batch. A backlog makes
     * batches as long as the ring (16k messages): flushing only at their end left the I/O threads idle while every
     * client's buffer filled, and sent all of them to catch-up.
     */
    private static final int FLUSH_AFTER_FRAMES = 4096;

    private final ChannelTable topics = new ChannelTable(false);
    private final ChannelTable groups = new ChannelTable(true);
    private final Map<Subscriber, List<Channel>> subscriptions = new HashMap<>();
    private final Map<Subscriber, ReplayJob> catchUps = new HashMap<>();
    private final FrameEncoder messageEncoder = new FrameEncoder();
    private final FrameEncoder replyEncoder = new FrameEncoder();
    private final Metrics metrics;
    private final LongSupplier oldestId;
    private final AtomicLong publishedHead;
    private final long replayRatePerSecond;
    private final ReplayAgent replayAgent;
    private final String epoch;
    private final String quotedEpoch;
    private Subscriber[] dirty = new Subscriber[256];
    private int dirtyCount;
    private long head;
    private long encodedInBatch;
    private long queuedInBatch;
    private long outOfMemoryCloses;
    private long lastOutOfMemoryLogNs = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);

    public FanoutHandler(
        final Metrics metrics,
        final String epoch,
        final long initialHead,
        final LongSupplier oldestId,
        final ReplayAgent replayAgent,
        final AtomicLong publishedHead,
        final long replayRatePerSecond)
    {
        this.replayRatePerSecond = replayRatePerSecond;
        this.publishedHead = publishedHead;
        this.metrics = metrics;
        this.oldestId = oldestId;
        this.replayAgent = replayAgent;
        this.epoch = epoch;
        this.quotedEpoch = JsonText.quote(epoch);
        this.head = initialHead;
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        switch (event.type())
        {
            case MessageEvent.TYPE_MESSAGE:
                if (event.status() == PublishStatus.OK)
                {
                    head = event.id();
                    // Ordered store (plain on x86): catch-ups read it to never pass the fan-out, so keep it fresh.
                    publishedHead.setRelease(head);
                    deliver(event);
                }
                break;
            case MessageEvent.TYPE_CLIENT_REQUEST:
                apply(event.session(), event.request());
                break;
            case MessageEvent.TYPE_CLIENT_CLOSED:
                removeEverywhere(event.session());
                break;
            case MessageEvent.TYPE_REJOIN:
                rejoin(event.job());
                break;
            default:
                break;
        }
        event.release();
        if (endOfBatch || queuedInBatch >= FLUSH_AFTER_FRAMES)
        {
            endBatch();
        }
    }

    /** The newest id seen by the fan-out. Fan-out thread only. */
    public long head()
    {
        return head;
    }

    private void deliver(final MessageEvent event)
    {
        final boolean group = (event.flags() & JournalDescriptor.FLAG_GROUP) != 0;
        final Channel channel = (group ? groups : topics).get(event.target(), event.targetLength());
        if (channel == null)
        {
            return;
        }
        final Subscriber[] subscribers = channel.subscribers;
        final int count = channel.count;
        if (count == 0)
        {
            return;
        }
        final int length = messageEncoder.encodeMessage(
            event.id(),
            group,
            event.target(),
            event.targetLength(),
            (event.flags() & JournalDescriptor.FLAG_JSON) != 0,
            event.payload(),
            event.payloadLength(),
            false);
        encodedInBatch++;
        final UnsafeBuffer frame = messageEncoder.buffer();
        final int offset = messageEncoder.frameOffset();
        for (int i = 0; i < count; i++)
        {
            final Subscriber session = subscribers[i];
            if (session.isLagging() || session.isCloseRequested())
            {
                // Served from the journal, or closing (it stays in its channels until its connection's close).
                continue;
            }
            if (offer(session, frame, offset, length) || session.isCloseRequested())
            {
                // Closing (it is removed once the connection is gone): no catch-up to start for it.
                continue;
            }
            startCatchUp(session, event.id());
        }
    }

    private boolean offer(final Subscriber session, final UnsafeBuffer frame, final int offset, final int length)
    {
        if (!session.offer(frame, offset, length))
        {
            return false;
        }
        queuedInBatch++;
        markDirty(session);
        return true;
    }

    /** Flush this session's bytes at the end of the batch. */
    private void markDirty(final Subscriber session)
    {
        if (session.markDirty())
        {
            if (dirtyCount == dirty.length)
            {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = session;
        }
    }

    /**
     * The client's buffer cannot take message {@code id}: stop feeding it live and serve it from the journal, from
     * {@code id} on, at its own pace. Nobody else waits; nothing is lost.
     */
    private void startCatchUp(final Subscriber session, final long id)
    {
        session.lagging(true);
        // Its failed offer (and beginReplay below) opened a producer batch on its live stream: end it with the
        // others, or the I/O thread could never release that client's buffers.
        markDirty(session);
        final List<Channel> channels = subscriptions.getOrDefault(session, List.of());
        final List<String> topicNames = new ArrayList<>();
        final List<String> groupNames = new ArrayList<>();
        for (final Channel channel : channels)
        {
            (channel.group ? groupNames : topicNames).add(channel.nameString);
        }
        final ReplayStream segment = session.beginReplay();
        if (segment == null)
        {
            closeOutOfMemory(session);
            return;
        }
        final ReplayJob job = new ReplayJob(
            session, segment, topicNames, groupNames, id - 1, ReplayJob.OPEN_ENDED, 0);
        catchUps.put(session, job);
        replayAgent.submit(job);
    }

    /** A catch-up read to the end of the journal: the client is live again for every id after the head. */
    private void rejoin(final ReplayJob job)
    {
        final Subscriber session = job.session();
        job.rejoinedAfter(head);
        session.lagging(false);
        catchUps.remove(session);
    }

    private void closeSlowClient(final Subscriber session)
    {
        metrics.slowClientCloses.increment();
        LOG.info(() -> session + ": no room for a reply (" + session.queuedBytes() + " bytes queued), closing with 4001");
        removeEverywhere(session);
        session.close(WebSocketFrames.CLOSE_SLOW_CLIENT, "send buffer full; resume by id");
    }

    /**
     * No off-heap memory for the client's replay buffer (the JVM's direct memory limit): close it with 4001, it
     * resumes by id later. Called from within {@link #deliver} (a catch-up) and from a resume: the session stays in
     * its channels, where removing it would shift the array {@code deliver} iterates, and is skipped there as closing
     * until its connection's close removes it. Logged at most once a second.
     */
    private void closeOutOfMemory(final Subscriber session)
    {
        metrics.slowClientCloses.increment();
        outOfMemoryCloses++;
        final long now = System.nanoTime();
        if (now - lastOutOfMemoryLogNs >= TimeUnit.SECONDS.toNanos(1))
        {
            final long closes = outOfMemoryCloses;
            LOG.warning(() -> session + ": no direct memory for a replay buffer, closing with 4001 (" + closes +
                " such closes since the last report)");
            outOfMemoryCloses = 0;
            lastOutOfMemoryLogNs = now;
        }
        session.close(WebSocketFrames.CLOSE_SLOW_CLIENT, "node out of send buffer memory; resume by id");
    }

    private void endBatch()
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            dirty[i].flushMarked();
            dirty[i] = null;
        }
        dirtyCount = 0;
        if (encodedInBatch > 0)
        {
            metrics.framesEncoded.getAndAddRelease(encodedInBatch);
            encodedInBatch = 0;
        }
        if (queuedInBatch > 0)
        {
            metrics.framesQueued.getAndAddRelease(queuedInBatch);
            queuedInBatch = 0;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Client commands (slow path)
    // ---------------------------------------------------------------------------------------------------------------

    private void apply(final Subscriber session, final ClientRequest request)
    {
        if (session.isCloseRequested())
        {
            return;
        }
        switch (request.op())
        {
            case SUBSCRIBE:
            {
                final List<String> fresh = new ArrayList<>(request.topics().size());
                for (final String topic : request.topics())
                {
                    if (subscribe(session, topics.getOrCreate(topic)))
                    {
                        fresh.add(topic);
                    }
                }
                final String reply = "{\"type\":\"subscribed\",\"topics\":" + jsonArray(request.topics()) +
                    ",\"head\":" + head + ",\"epoch\":" + quotedEpoch;
                resume(session, request, reply, fresh, false);
                break;
            }
            case UNSUBSCRIBE:
            {
                for (final String topic : request.topics())
                {
                    unsubscribe(session, topics.get(topic));
                }
                reply(session, "{\"type\":\"unsubscribed\",\"topics\":" + jsonArray(request.topics()) + "}");
                break;
            }
            case JOIN:
            {
                final boolean fresh = subscribe(session, groups.getOrCreate(request.group()));
                final String reply = "{\"type\":\"joined\",\"group\":" + JsonText.quote(request.group()) +
                    ",\"head\":" + head + ",\"epoch\":" + quotedEpoch;
                resume(session, request, reply, fresh ? List.of(request.group()) : List.of(), true);
                break;
            }
            case LEAVE:
            {
                unsubscribe(session, groups.get(request.group()));
                reply(session, "{\"type\":\"left\",\"group\":" + JsonText.quote(request.group()) + "}");
                break;
            }
            case ACK:
                break;
            case INVALID:
            default:
                reply(session, "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":" +
                    JsonText.quote(request.error()) + "}");
                break;
        }
    }

    /** @return true when the session was not in the channel before. */
    private boolean subscribe(final Subscriber session, final Channel channel)
    {
        if (!channel.contains(session))
        {
            channel.add(session);
            subscriptions.computeIfAbsent(session, s -> new ArrayList<>(4)).add(channel);
            if (session.isLagging())
            {
                // Live delivery skips it while it is caught up from the journal: the catch-up covers the new channel.
                catchUps.get(session).addChannel(channel.nameString, channel.group, head);
            }
            return true;
        }
        return false;
    }

    /**
     * Answer a subscribe or join ({@code reply} is the answer without its closing brace) and, when it asked to
     * resume, replay {@code (from, head]} of the channels it did not already receive. Live delivery of those
     * channels has started with this command, so the replay ends exactly where live begins.
     */
    private void resume(
        final Subscriber session,
        final ClientRequest request,
        final String reply,
        final List<String> fresh,
        final boolean group)
    {
        final long from = request.from();
        if (from == ClientRequest.NO_FROM)
        {
            reply(session, reply + "}");
            return;
        }
        final long oldest = oldestId.getAsLong();
        final boolean epochMatches = request.epoch() == null || request.epoch().equals(epoch);
        if (!epochMatches || from > head || from + 1 < oldest)
        {
            reply(session, reply + ",\"recovered\":false,\"oldest\":" + oldest + "}");
            return;
        }
        final String recovered = reply + ",\"recovered\":true}";
        if (from >= head || fresh.isEmpty())
        {
            reply(session, recovered);
            return;
        }
        final ReplayStream segment = session.beginReplay();
        if (segment == null)
        {
            closeOutOfMemory(session);
            return;
        }
        final int length = replyEncoder.encodeText(recovered);
        segment.offer(replyEncoder.buffer(), replyEncoder.frameOffset(), length);
        markDirty(session);
        replayAgent.submit(new ReplayJob(
            session, segment, group ? List.of() : fresh, group ? fresh : List.of(), from, head, replayRatePerSecond));
    }

    private void unsubscribe(final Subscriber session, final Channel channel)
    {
        if (channel != null && channel.remove(session))
        {
            final List<Channel> channels = subscriptions.get(session);
            if (channels != null)
            {
                channels.remove(channel);
            }
            dropIfEmpty(channel);
        }
    }

    private void dropIfEmpty(final Channel channel)
    {
        if (channel.count == 0)
        {
            (channel.group ? groups : topics).remove(channel);
        }
    }

    private void removeEverywhere(final Subscriber session)
    {
        catchUps.remove(session);
        final List<Channel> channels = subscriptions.remove(session);
        if (channels != null)
        {
            for (final Channel channel : channels)
            {
                channel.remove(session);
                dropIfEmpty(channel);
            }
        }
    }

    private void reply(final Subscriber session, final String json)
    {
        final int length = replyEncoder.encodeText(json);
        if (!offer(session, replyEncoder.buffer(), replyEncoder.frameOffset(), length))
        {
            closeSlowClient(session);
        }
    }

    /** The epoch of the journal this fan-out serves. */
    public String epoch()
    {
        return epoch;
    }

    private static String jsonArray(final List<String> names)
    {
        final StringBuilder sb = new StringBuilder().append('[');
        for (int i = 0; i < names.size(); i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append('"').append(names.get(i)).append('"');
        }
        return sb.append(']').toString();
    }
}
