package io.ringcast.engine.replay;

import io.ringcast.journal.JournalDescriptor;
import io.ringcast.journal.JournalEntry;
import io.ringcast.journal.JournalReader;
import io.ringcast.transport.ReplayStream;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.websocket.FrameEncoder;
import io.ringcast.transport.websocket.WebSocketFrames;

import java.util.List;

/**
 * One client served from the journal: every message with an id above {@code fromId} on its topics and groups
 * ({@link ReplayFilter}), in id order, into the client's {@link ReplayStream}, up to {@code toId}. Created by the
 * fan-out thread, then run by the replay thread ({@link #doWork}).
 * <ul>
 *     <li>A <b>resume</b> knows {@code toId} from the start: the fan-out's head when the client asked (live delivery
 *     covers the rest). It is paced ({@link ReplayPacer}).</li>
 *     <li>A <b>catch-up</b> (the client fell behind the live fan-out) starts with no upper bound and never passes
 *     the fan-out's head. Once it has reached that head and the client has drained its live buffer, it asks the
 *     fan-out to take the client back ({@link RejoinRequests}, retried on later turns while the ring is full); the
 *     fan-out answers with its head at that moment, which becomes {@code toId}.</li>
 * </ul>
 */
public final class ReplayJob
{
    /** {@code toId} of a catch-up that has not rejoined yet. */
    public static final long OPEN_ENDED = Long.MAX_VALUE;

    /** Most ids a job walks in one turn, so one client never holds up the others. */
    static final int ENTRIES_PER_TURN = 1024;

    private final Subscriber session;
    private final ReplayStream segment;
    private final ReplayFilter filter;
    private final long fromId;
    private final boolean catchUp;
    /** Written by the fan-out thread on rejoin, read by the replay thread. */
    private volatile long toId;

    // Replay thread.
    private final JournalCursor cursor = new JournalCursor();
    private final ReplayPacer pacer;
    private boolean rejoinRequested;
    private long lastId;

    public ReplayJob(
        final Subscriber session,
        final ReplayStream segment,
        final List<String> topics,
        final List<String> groups,
        final long fromId,
        final long toId,
        final long replayRatePerSecond)
    {
        this.session = session;
        this.segment = segment;
        this.filter = new ReplayFilter(topics, groups);
        this.fromId = fromId;
        this.toId = toId;
        this.catchUp = toId == OPEN_ENDED;
        this.pacer = new ReplayPacer(catchUp ? 0 : replayRatePerSecond);
        this.lastId = fromId;
    }

    public Subscriber session()
    {
        return session;
    }

    public boolean isCatchUp()
    {
        return catchUp;
    }

    /** Fan-out thread: the client is live again after {@code id}; deliver up to it and stop. */
    public void rejoinedAfter(final long id)
    {
        toId = id;
    }

    /**
     * Fan-out thread: the client subscribed to (or joined) {@code name} while being caught up; its messages with ids
     * above {@code afterId} are the client's too.
     */
    public void addChannel(final String name, final boolean group, final long afterId)
    {
        filter.addChannel(name, group, afterId);
    }

    /** The last id this job has gone past (delivered or skipped as not the client's). */
    public long lastId()
    {
        return lastId;
    }

    /** Replay thread: start reading after {@code fromId}. On failure the reader is closed; call {@link #abort()}. */
    void open(final JournalReader reader, final long nowNs)
    {
        cursor.open(reader, fromId);
        pacer.start(nowNs);
    }

    /**
     * Replay thread: serve up to {@link #ENTRIES_PER_TURN} ids, stopping early when the client's segment is full.
     * Ids are dense, so the job walks them one by one and takes each from the {@link FrameCache} when another
     * client's read left it there, from the journal otherwise.
     *
     * @return frames produced this turn; {@link #isDone()} says whether the job is finished.
     */
    int doWork(final ReplayContext context, final long nowNs)
    {
        if (segment.isCancelled() || session.isClosed())
        {
            stop();
            return 0;
        }
        if (catchUp && context.maxLag > 0 && context.head.getAsLong() - lastId > context.maxLag)
        {
            if (!session.isCloseRequested())
            {
                context.counters.maxLagCloses.increment();
                session.close(WebSocketFrames.CLOSE_SLOW_CLIENT, "more than --max-lag ids behind; resume by id");
            }
            stop();
            return 0;
        }
        // A catch-up never goes past what the fan-out has handled: the journal may already hold messages the
        // fan-out has not seen, and the rejoin point must be at or after everything this job delivered.
        final long limit = toId;
        final long visible = catchUp ? Math.min(limit, context.fanoutHead.getAsLong()) : limit;
        final int frames = produce(context, limit, visible, pacer.allowance(nowNs, ENTRIES_PER_TURN));
        if (catchUp && cursor.isOpen() && !rejoinRequested && lastId >= visible &&
            session.liveQueuedBytes() < segment.capacity() / 2)
        {
            // Caught up with the fan-out, and the client's live buffer (sent before this catch-up) has drained:
            // ask to be taken back at the fan-out's head. A client that does not read keeps a full live buffer and
            // stays here, so it cannot bounce between live and catch-up, allocating a buffer each time.
            rejoinRequested = context.rejoin.requestRejoin(this);
            if (!rejoinRequested)
            {
                context.counters.rejoinsDeferred.increment();
            }
        }
        if (frames > 0)
        {
            session.requestFlush();
        }
        pacer.produced(frames);
        final int reads = cursor.takeReads();
        if (reads > 0)
        {
            context.counters.replayJournalReads.getAndAddRelease(reads);
        }
        return frames;
    }

    private int produce(final ReplayContext context, final long limit, final long visible, final long allowance)
    {
        final FrameCache cache = context.cache;
        final FrameEncoder encoder = context.encoder;
        int frames = 0;
        for (int i = 0; i < ENTRIES_PER_TURN && frames < allowance; i++)
        {
            if (lastId >= limit)
            {
                finish();
                break;
            }
            final long id = lastId + 1;
            if (id > visible)
            {
                break;
            }
            final int slot = cache.find(id);
            if (slot >= 0)
            {
                final boolean group = (cache.flags(slot) & JournalDescriptor.FLAG_GROUP) != 0;
                if (!filter.matches(id, group, cache.buffer(), cache.targetOffset(slot), cache.targetLength(slot)))
                {
                    lastId = id;
                    continue;
                }
                final int cachedLength = cache.frameLength(slot);
                if (cachedLength >= 0)
                {
                    if (!segment.offer(cache.buffer(), cache.frameOffset(slot), cachedLength))
                    {
                        break;
                    }
                    frames++;
                    lastId = id;
                    continue;
                }
                // The client's, but the frame was too big to cache: read and encode it.
            }
            if (!cursor.read(id))
            {
                break;
            }
            final JournalEntry entry = cursor.entry();
            if (entry.id() != id)
            {
                // The ids before it are not in the journal any more (retention): go on from the one that is.
                lastId = entry.id() - 1;
                continue;
            }
            if (filter.matches(id, entry.isGroup(), entry.target(), 0, entry.targetLength()))
            {
                final int length = encoder.encodeMessage(id, entry.isGroup(), entry.target().byteArray(),
                    entry.targetLength(), entry.isJson(), entry.payload().byteArray(), entry.payloadLength(), false);
                cache.put(id, entry.flags(), entry.target(), entry.targetLength(),
                    encoder.buffer(), encoder.frameOffset(), length);
                if (!segment.offer(encoder.buffer(), encoder.frameOffset(), length))
                {
                    break;
                }
                frames++;
            }
            else
            {
                cache.put(id, entry.flags(), entry.target(), entry.targetLength(), null, 0, -1);
            }
            lastId = id;
        }
        return frames;
    }

    boolean isDone()
    {
        return !cursor.isOpen();
    }

    /** The journal could not be opened or read: close the client with 1011 (it resumes by id) and stop. */
    void abort()
    {
        session.close(1011, "replay failed; resume by id");
        stop();
    }

    /** Everything up to {@code toId} is in the segment. */
    private void finish()
    {
        stop();
        segment.complete();
        session.requestFlush();
    }

    /** Stop reading; unless {@link #finish()} follows, the segment stays incomplete and the client's stream ends. */
    private void stop()
    {
        cursor.close();
    }
}
