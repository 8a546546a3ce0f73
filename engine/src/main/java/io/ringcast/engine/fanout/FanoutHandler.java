package io.ringcast.engine.fanout;

import com.lmax.disruptor.EventHandler;
import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.engine.pipeline.MessageEvent;
import io.ringcast.engine.replay.ReplayJobs;
import io.ringcast.journal.JournalDescriptor;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.websocket.FrameEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Second consumer of the ring, after the journal: for each journaled message, encodes the outgoing WebSocket frame
 * once and copies it into the off-heap buffer of every subscriber of its topic (or member of its group); at the end
 * of the batch it asks each touched client's I/O thread to flush ({@link FanoutBatch}). Client commands are applied
 * in ring order ({@link ClientCommands}); the subscription tables ({@link Subscriptions}) are owned by this thread,
 * so nothing is locked.
 * <p>
 * A client whose buffer cannot take the next frame leaves the live fan-out and is caught up from the journal by the
 * replay thread until it rejoins ({@link ReplayCoordinator}); the others never wait for it.
 */
public final class FanoutHandler implements EventHandler<MessageEvent>
{
    /**
     * Frames queued after which the touched clients are flushed even in the middle of a batch. A backlog makes
     * batches as long as the ring: flushing only at their end left the I/O threads idle while every client's buffer
     * filled, and sent all of them to catch-up.
     */
    static final int FLUSH_AFTER_FRAMES = 4096;

    private final Subscriptions subscriptions = new Subscriptions();
    private final FanoutBatch batch;
    private final ReplayCoordinator replays;
    private final ClientCommands commands;
    private final FrameEncoder messageEncoder = new FrameEncoder();
    private final AtomicLong publishedHead;
    private final String epoch;
    private long head;

    /**
     * @param initialHead   the newest id in the journal at start.
     * @param oldestId      the oldest id the journal holds (for resume replies).
     * @param publishedHead where the fan-out publishes {@link #head()} for the replay thread.
     */
    public FanoutHandler(
        final EngineCounters counters,
        final String epoch,
        final long initialHead,
        final LongSupplier oldestId,
        final ReplayJobs replayJobs,
        final AtomicLong publishedHead,
        final long replayRatePerSecond)
    {
        this.batch = new FanoutBatch(counters);
        this.replays = new ReplayCoordinator(replayJobs, subscriptions, batch, counters, replayRatePerSecond);
        this.commands = new ClientCommands(subscriptions, replays, batch, counters, oldestId, epoch);
        this.publishedHead = publishedHead;
        this.epoch = epoch;
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
                commands.apply(event.session(), event.request(), head);
                break;
            case MessageEvent.TYPE_CLIENT_CLOSED:
                replays.remove(event.session());
                subscriptions.removeEverywhere(event.session());
                break;
            case MessageEvent.TYPE_REJOIN:
                replays.rejoin(event.job(), head);
                break;
            case MessageEvent.TYPE_REPLAY_JOBS_WANTED:
                replays.offerPending();
                break;
            default:
                break;
        }
        event.release();
        if (endOfBatch)
        {
            replays.offerPending();
            batch.end();
        }
        else if (batch.queued() >= FLUSH_AFTER_FRAMES)
        {
            batch.end();
        }
    }

    /** The newest id seen by the fan-out. Fan-out thread only. */
    public long head()
    {
        return head;
    }

    /** The epoch of the journal this fan-out serves. */
    public String epoch()
    {
        return epoch;
    }

    /** Fan-out thread, for tests: replay jobs waiting for room in the replay thread's queue. */
    int pendingReplayJobs()
    {
        return replays.pendingCount();
    }

    /** Fan-out thread, for tests: topics (or groups) with at least one subscriber. */
    int channelCount(final boolean group)
    {
        return subscriptions.channelCount(group);
    }

    private void deliver(final MessageEvent event)
    {
        final boolean group = (event.flags() & JournalDescriptor.FLAG_GROUP) != 0;
        final Channel channel = subscriptions.channel(group, event.target(), event.targetLength());
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
        batch.encoded();
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
            if (batch.offer(session, frame, offset, length) || session.isCloseRequested())
            {
                // Closing (it is removed once the connection is gone): no catch-up to start for it.
                continue;
            }
            replays.startCatchUp(session, event.id());
        }
    }
}
