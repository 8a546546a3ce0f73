package io.ringcast.transport.websocket;

import io.ringcast.transport.metrics.Metrics;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands sessions that have new bytes queued to their I/O thread: producers offer a session (at most once until it
 * is flushed, see {@link ClientSession#requestFlush()}), and one task per wake-up drains them all on the I/O
 * thread. The cost is one queue offer per client per producer batch and one task per batch, not one per frame.
 * A session whose flush throws is counted and logged; the ones queued behind it are still flushed.
 */
public final class FlushScheduler implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(FlushScheduler.class);

    /** Something with bytes to write on the I/O thread. */
    interface Target
    {
        /** I/O thread: the flush asked for by {@link #schedule} is due. */
        void onFlushScheduled();
    }

    private final Executor ioThread;
    private final Metrics metrics;
    private final ManyToOneConcurrentArrayQueue<Target> pending;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Consumer<Target> flush = this::flush;

    /**
     * @param ioThread runs the drain task (the XNIO I/O thread of the sessions).
     * @param capacity at least the number of sessions on this thread (a session is queued at most once).
     */
    FlushScheduler(final Executor ioThread, final int capacity, final Metrics metrics)
    {
        this.ioThread = ioThread;
        this.metrics = metrics;
        this.pending = new ManyToOneConcurrentArrayQueue<>(capacity);
    }

    /** Any thread: flush {@code target} on the I/O thread soon. */
    void schedule(final Target target)
    {
        while (!pending.offer(target))
        {
            wakeIoThread();
            Thread.onSpinWait();
        }
        wakeIoThread();
    }

    private void wakeIoThread()
    {
        if (!scheduled.get() && scheduled.compareAndSet(false, true))
        {
            try
            {
                ioThread.execute(this);
            }
            catch (final RejectedExecutionException ex)
            {
                // The I/O worker is stopping (node shutdown): its connections are being closed, nothing to flush.
                scheduled.set(false);
            }
        }
    }

    /** Runs on the I/O thread. */
    @Override
    public void run()
    {
        scheduled.set(false);
        pending.drain(flush);
    }

    private void flush(final Target target)
    {
        try
        {
            target.onFlushScheduled();
        }
        catch (final RuntimeException ex)
        {
            metrics.ioErrors.increment();
            LOG.warn("{}: flush failed", target, ex);
        }
    }
}
