package io.ringcast.engine.replay;

import io.ringcast.journal.Journal;
import io.ringcast.transport.metrics.Metrics;
import io.ringcast.transport.websocket.FrameEncoder;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The replay thread: serves every replaying client from the journal, each with its own tailer, round robin, so a
 * long replay never stalls the live fan-out (which never reads the journal) nor the other replays.
 */
public final class ReplayAgent implements AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(ReplayAgent.class.getName());

    private final Journal journal;
    private final LongSupplier head;
    private final LongSupplier fanoutHead;
    private final long maxLag;
    private volatile RejoinRequests rejoin;
    private volatile int activeCatchUps;
    private volatile long maxCatchUpLag;
    private final Metrics metrics;
    private final ManyToOneConcurrentArrayQueue<ReplayJob> newJobs = new ManyToOneConcurrentArrayQueue<>(64 * 1024);
    private final ArrayList<ReplayJob> active = new ArrayList<>();
    private final FrameEncoder encoder = new FrameEncoder();
    private static final int FRAME_CACHE_SLOTS = 32 * 1024;
    /**
     * Off-heap bytes of the replay frame cache, allocated when the first replay or catch-up runs: 32,768 ids (the
     * spread of clients catching up on one burst is well inside it) of up to 512 bytes.
     */
    public static final long FRAME_CACHE_BYTES = (long)FRAME_CACHE_SLOTS * FrameCache.SLOT_BYTES;

    private final FrameCache cache = new FrameCache(FRAME_CACHE_SLOTS);
    private final IdleStrategy idle = new BackoffIdleStrategy(
        10, 10, TimeUnit.MICROSECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(1));
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param head       the newest journaled id.
     * @param fanoutHead the newest id the fan-out has handled (a catch-up never passes it).
     */
    public ReplayAgent(
        final Journal journal,
        final Metrics metrics,
        final LongSupplier head,
        final LongSupplier fanoutHead,
        final long maxLag)
    {
        this.fanoutHead = fanoutHead;
        this.journal = journal;
        this.metrics = metrics;
        this.head = head;
        this.maxLag = maxLag;
        this.thread = new Thread(this::run, "ringcast-replay");
        this.thread.setDaemon(true);
    }

    /** Set once, before {@link #start()}: where catch-ups send their rejoin requests. */
    public void rejoinRequests(final RejoinRequests rejoin)
    {
        this.rejoin = rejoin;
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

    public void start()
    {
        thread.start();
    }

    /** Fan-out thread: start a replay or a catch-up. */
    public void submit(final ReplayJob job)
    {
        while (!newJobs.offer(job))
        {
            Thread.onSpinWait();
        }
        if (job.isCatchUp())
        {
            metrics.catchUpsStarted.incrementRelease();
        }
        else
        {
            metrics.replaysStarted.incrementRelease();
        }
    }

    private void run()
    {
        while (running)
        {
            idle.idle(doWork());
        }
    }

    int doWork()
    {
        int work = 0;
        ReplayJob job;
        while ((job = newJobs.poll()) != null)
        {
            try
            {
                job.open(journal.newReader());
                active.add(job);
            }
            catch (final RuntimeException ex)
            {
                LOG.log(Level.WARNING, "replay could not start", ex);
            }
            work++;
        }
        int catchUps = 0;
        long maxLagSeen = 0;
        for (int i = active.size() - 1; i >= 0; i--)
        {
            final ReplayJob current = active.get(i);
            try
            {
                final int frames = current.doWork(encoder, cache, rejoin, head, fanoutHead, maxLag, metrics);
                work += frames;
                if (frames > 0)
                {
                    metrics.framesReplayed.getAndAddRelease(frames);
                }
            }
            catch (final RuntimeException ex)
            {
                LOG.log(Level.WARNING, "replay failed; the client is closed and may resume by id", ex);
                current.abort();
            }
            if (current.isDone())
            {
                active.remove(i);
                work++;
            }
            else if (current.isCatchUp())
            {
                catchUps++;
                maxLagSeen = Math.max(maxLagSeen, head.getAsLong() - current.lastId());
            }
        }
        activeCatchUps = catchUps;
        maxCatchUpLag = maxLagSeen;
        return work;
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(2000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
