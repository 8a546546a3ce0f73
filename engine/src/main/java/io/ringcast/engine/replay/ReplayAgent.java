package io.ringcast.engine.replay;

import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.journal.JournalReader;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The replay thread's duty cycle: serves every replaying client from the journal, each with its own reader, round
 * robin, so a long replay never stalls the live fan-out (which never reads the journal) nor the other replays.
 * <p>
 * It never waits on the fan-out, nor the fan-out on it: jobs arrive through a bounded queue; when that is full
 * {@link #offer} says so and the fan-out keeps the job pending, to offer it again at the end of its next batch or
 * when this agent, having made room, asks for it ({@link RejoinRequests#requestPendingJobs()}). Rejoin requests are
 * tries too, retried on the next duty cycle while the ring is full. Run it under an
 * {@link org.agrona.concurrent.AgentRunner}.
 */
public final class ReplayAgent implements Agent, ReplayJobs
{
    /** Jobs waiting to start; when it is full the fan-out keeps further jobs pending (see {@link #offer}). */
    public static final int JOB_QUEUE_CAPACITY = 64 * 1024;
    private static final int FRAME_CACHE_SLOTS = 32 * 1024;
    /**
     * Off-heap bytes of the replay frame cache, allocated when the first replay or catch-up runs: 32,768 ids (the
     * spread of clients catching up on one burst is well inside it) of up to 512 bytes.
     */
    public static final long FRAME_CACHE_BYTES = (long)FRAME_CACHE_SLOTS * FrameCache.SLOT_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(ReplayAgent.class);

    // Written by the fan-out thread, read by the replay thread.
    private final ManyToOneConcurrentArrayQueue<ReplayJob> newJobs;
    /** Set by the fan-out when an offer found the queue full; cleared by the replay thread when it asks for more. */
    private final AtomicBoolean fanoutHasPendingJobs = new AtomicBoolean();

    // Replay thread.
    private final Supplier<JournalReader> readers;
    private final NanoClock clock;
    private final EngineCounters counters;
    private final ArrayList<ReplayJob> active = new ArrayList<>();
    private ReplayContext context;
    private final FrameCache cache = new FrameCache(FRAME_CACHE_SLOTS);
    private final LongSupplier head;
    private final LongSupplier fanoutHead;
    private final long maxLag;

    // Written by the replay thread, read by any (gauges).
    private volatile int activeCatchUps;
    private volatile long maxCatchUpLag;

    /**
     * @param readers          opens a reader of the journal for a new job (a failure aborts that job only).
     * @param head             the newest journaled id.
     * @param fanoutHead       the newest id the fan-out has handled (a catch-up never passes it).
     * @param maxLag           ids a catch-up may fall behind the head before it is closed with 4001; 0: unlimited.
     * @param jobQueueCapacity see {@link #JOB_QUEUE_CAPACITY}.
     */
    public ReplayAgent(
        final Supplier<JournalReader> readers,
        final EngineCounters counters,
        final LongSupplier head,
        final LongSupplier fanoutHead,
        final long maxLag,
        final NanoClock clock,
        final int jobQueueCapacity)
    {
        this.readers = readers;
        this.counters = counters;
        this.head = head;
        this.fanoutHead = fanoutHead;
        this.maxLag = maxLag;
        this.clock = clock;
        this.newJobs = new ManyToOneConcurrentArrayQueue<>(jobQueueCapacity);
    }

    /** Set once, before the agent runs: where catch-ups send their rejoin requests. */
    public void rejoinRequests(final RejoinRequests rejoin)
    {
        this.context = new ReplayContext(cache, rejoin, head, fanoutHead, maxLag, counters);
    }

    @Override
    public String roleName()
    {
        return "ringcast-replay";
    }

    /** The furthest behind the head any caught-up client is, in ids (as of the last duty cycle). */
    public long maxCatchUpLag()
    {
        return maxCatchUpLag;
    }

    /** Clients currently served from the journal because they fell behind. */
    public int activeCatchUps()
    {
        return activeCatchUps;
    }

    /**
     * Fan-out thread: start a replay or a catch-up. Never waits.
     *
     * @return false when the queue is full: the caller keeps the job and offers it again later.
     */
    @Override
    public boolean offer(final ReplayJob job)
    {
        if (!newJobs.offer(job))
        {
            fanoutHasPendingJobs.set(true);
            return false;
        }
        return true;
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = startNewJobs(nowNs);
        if (fanoutHasPendingJobs.get())
        {
            work += askForPendingJobs();
        }
        int catchUps = 0;
        long maxLagSeen = 0;
        long replayed = 0;
        for (int i = active.size() - 1; i >= 0; i--)
        {
            final ReplayJob job = active.get(i);
            try
            {
                final int frames = job.doWork(context, nowNs);
                work += frames;
                replayed += frames;
            }
            catch (final RuntimeException ex)
            {
                fail(job, "read", ex);
            }
            if (job.isDone())
            {
                active.remove(i);
                work++;
            }
            else if (job.isCatchUp())
            {
                catchUps++;
                maxLagSeen = Math.max(maxLagSeen, head.getAsLong() - job.lastId());
            }
        }
        if (replayed > 0)
        {
            counters.framesReplayed.getAndAddRelease(replayed);
        }
        activeCatchUps = catchUps;
        maxCatchUpLag = maxLagSeen;
        return work;
    }

    @Override
    public void onClose()
    {
        for (int i = 0; i < active.size(); i++)
        {
            active.get(i).abort();
        }
        active.clear();
    }

    private int startNewJobs(final long nowNs)
    {
        int work = 0;
        ReplayJob job;
        while ((job = newJobs.poll()) != null)
        {
            try
            {
                job.open(readers.get(), nowNs);
                active.add(job);
            }
            catch (final RuntimeException ex)
            {
                fail(job, "open", ex);
            }
            work++;
        }
        return work;
    }

    /**
     * The queue was drained: ask the fan-out for the jobs it kept pending. Cleared before asking, so that a later
     * failed offer sets it again and is not lost; a full ring means the fan-out ends a batch soon and retries then.
     */
    private int askForPendingJobs()
    {
        fanoutHasPendingJobs.set(false);
        if (context.rejoin.requestPendingJobs())
        {
            return 1;
        }
        fanoutHasPendingJobs.set(true);
        return 0;
    }

    /** The job could not open or read the journal: its client is closed with 1011 (it resumes by id), counted. */
    private void fail(final ReplayJob job, final String step, final RuntimeException ex)
    {
        counters.replayFailures.increment();
        LOG.warn("session {}: replay could not {} the journal after id {}; closing with 1011 so it resumes: {}",
            job.session().sessionId(), step, job.lastId(), ex.toString());
        job.abort();
    }
}
