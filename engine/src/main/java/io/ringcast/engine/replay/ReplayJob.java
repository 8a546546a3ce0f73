package io.ringcast.engine.replay;

import io.ringcast.journal.JournalDescriptor;
import io.ringcast.journal.JournalEntry;
import io.ringcast.journal.JournalReader;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.websocket.FrameEncoder;
import io.ringcast.transport.ReplayStream;
import io.ringcast.transport.websocket.WebSocketFrames;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One client served from the journal: every message with an id above {@code fromId} on its topics and groups, in id
 * order, into the client's {@link ReplayStream}, up to {@code toId}. Owned by the replay thread.
 * <ul>
 *     <li>A <b>resume</b> knows {@code toId} from the start: the fan-out's head when the client asked (live delivery
 *     covers the rest).</li>
 *     <li>A <b>catch-up</b> (the client fell behind the live fan-out) starts with no upper bound and never passes
 *     the fan-out's head. Once it has reached that head and the client has drained its live buffer, it asks the
 *     fan-out to take the client back ({@link RejoinRequests}); the fan-out answers with its head at that moment,
 *     which becomes {@code toId}.</li>
 * </ul>
 */
public final class ReplayJob
{
    /** {@code toId} of a catch-up that has not rejoined yet. */
    public static final long OPEN_ENDED = Long.MAX_VALUE;

    private static final int ENTRIES_PER_TURN = 1024;

    private final Subscriber session;
    private final ReplayStream segment;
    private volatile byte[][] topics;
    private volatile byte[][] groups;
    private volatile long[] topicMinIds;
    private volatile long[] groupMinIds;
    private final long fromId;
    private final boolean catchUp;
    private final long replayRatePerSecond;
    private final JournalEntry entry = new JournalEntry();
    private volatile long toId;
    private JournalReader reader;
    /** The id held in {@link #entry} (0: none), and the id the reader returns next. */
    private long entryId;
    private long readerNextId;
    private int journalReads;
    private boolean rejoinRequested;
    private long lastId;
    private long startNs;
    private long framesProduced;

    public ReplayJob(
        final Subscriber session,
        final ReplayStream segment,
        final List<String> topics,
        final List<String> groups,
        final long fromId,
        final long toId,
        final long replayRatePerSecond)
    {
        this.replayRatePerSecond = replayRatePerSecond;
        this.session = session;
        this.segment = segment;
        this.topics = bytes(topics);
        this.groups = bytes(groups);
        this.topicMinIds = new long[topics.size()];
        this.groupMinIds = new long[groups.size()];
        this.fromId = fromId;
        this.toId = toId;
        this.catchUp = toId == OPEN_ENDED;
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
        final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        final byte[][] names = group ? groups : topics;
        final long[] minIds = group ? groupMinIds : topicMinIds;
        final byte[][] newNames = Arrays.copyOf(names, names.length + 1);
        final long[] newMinIds = Arrays.copyOf(minIds, minIds.length + 1);
        newNames[names.length] = nameBytes;
        newMinIds[minIds.length] = afterId;
        // Ids first, names last: the replay thread reads names then ids, and never sees a name without its id.
        if (group)
        {
            groupMinIds = newMinIds;
            groups = newNames;
        }
        else
        {
            topicMinIds = newMinIds;
            topics = newNames;
        }
    }

    /** The last id this job has gone past (delivered or skipped as not the client's). */
    public long lastId()
    {
        return lastId;
    }

    void open(final JournalReader reader)
    {
        this.startNs = System.nanoTime();
        this.reader = reader;
        reader.seekAfter(fromId);
        this.readerNextId = fromId + 1;
    }

    /**
     * Serve up to a bounded number of ids, stopping early when the client's segment is full. Ids are dense, so the
     * job walks them one by one and takes each from the {@link FrameCache} when another client's read left it
     * there, from the journal otherwise.
     *
     * @return frames produced this turn; {@link #isDone()} says whether the job is finished.
     */
    int doWork(
        final FrameEncoder encoder,
        final FrameCache cache,
        final RejoinRequests rejoin,
        final LongSupplier head,
        final LongSupplier fanoutHead,
        final long maxLag,
        final io.ringcast.transport.metrics.Metrics metrics)
    {
        if (segment.isCancelled() || session.isClosed())
        {
            stop();
            return 0;
        }
        if (catchUp && maxLag > 0 && head.getAsLong() - lastId > maxLag)
        {
            if (!session.isCloseRequested())
            {
                metrics.maxLagCloses.increment();
                session.close(WebSocketFrames.CLOSE_SLOW_CLIENT, "more than --max-lag ids behind; resume by id");
            }
            stop();
            return 0;
        }
        // A catch-up never goes past what the fan-out has handled: the journal may already hold messages the
        // fan-out has not seen, and the rejoin point must be at or after everything this job delivered.
        final long limit = toId;
        final long visible = catchUp ? Math.min(limit, fanoutHead.getAsLong()) : limit;
        // A resume is paced (--replay-rate per client) so a client reading history at full speed does not take
        // the CPU the live clients need; a catch-up is not, it must outrun the live stream to rejoin it.
        final long allowance = catchUp || replayRatePerSecond <= 0 ? ENTRIES_PER_TURN : Math.min(ENTRIES_PER_TURN,
            (System.nanoTime() - startNs) * replayRatePerSecond / 1_000_000_000L + 64 - framesProduced);
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
                if (!matches(id, group, cache.buffer(), cache.targetOffset(slot), cache.targetLength(slot)))
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
            if (!readEntry(id))
            {
                break;
            }
            if (entry.id() != id)
            {
                // The ids before it are not in the journal any more (retention): go on from the one that is.
                lastId = entry.id() - 1;
                continue;
            }
            if (matches(id, entry.isGroup(), entry.target(), 0, entry.targetLength()))
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
        if (catchUp && reader != null && !rejoinRequested && lastId >= visible &&
            session.liveQueuedBytes() < segment.capacity() / 2)
        {
            // Caught up with the fan-out, and the client's live buffer (sent before this catch-up) has drained:
            // ask to be taken back at the fan-out's head. A client that does not read keeps a full live buffer and
            // stays here, so it cannot bounce between live and catch-up, allocating a buffer each time.
            rejoinRequested = true;
            rejoin.requestRejoin(this);
        }
        if (frames > 0)
        {
            session.requestFlush();
        }
        framesProduced += frames;
        if (journalReads > 0)
        {
            metrics.replayJournalReads.getAndAddRelease(journalReads);
            journalReads = 0;
        }
        return frames;
    }

    boolean isDone()
    {
        return reader == null;
    }

    /** Something went wrong reading the journal: close the client (it resumes by id) and stop. */
    void abort()
    {
        session.close(1011, "replay failed; resume by id");
        stop();
    }

    /** Is message {@code id}, for {@code target[offset, offset + length)}, one this client receives? */
    private boolean matches(
        final long id, final boolean group, final DirectBuffer target, final int offset, final int length)
    {
        final byte[][] names = group ? groups : topics;
        final long[] minIds = group ? groupMinIds : topicMinIds;
        for (int i = 0; i < names.length; i++)
        {
            final byte[] candidate = names[i];
            if (candidate.length == length && id > minIds[i] && sameBytes(candidate, target, offset))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean sameBytes(final byte[] name, final DirectBuffer target, final int offset)
    {
        for (int i = 0; i < name.length; i++)
        {
            if (name[i] != target.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Have message {@code id} (or, past a retention gap, the first one after it) in {@link #entry}, reading the
     * journal only when it is not there already and seeking only when the reader is not at it (other clients' reads
     * filled the cache for the ids in between).
     *
     * @return false when the journal does not hold it yet.
     */
    private boolean readEntry(final long id)
    {
        if (entryId == id)
        {
            return true;
        }
        if (readerNextId != id)
        {
            reader.seekAfter(id - 1);
            readerNextId = id;
        }
        if (!reader.read(entry))
        {
            entryId = 0;
            return false;
        }
        entryId = entry.id();
        readerNextId = entryId + 1;
        journalReads++;
        return true;
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
        if (reader != null)
        {
            reader.close();
            reader = null;
        }
    }

    private static byte[][] bytes(final List<String> names)
    {
        final byte[][] result = new byte[names.size()][];
        for (int i = 0; i < names.size(); i++)
        {
            result[i] = names.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        return result;
    }
}
