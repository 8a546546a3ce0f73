package io.ringcast.transport.websocket;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.xnio.XnioIoThread;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands sessions that have new bytes queued to their I/O thread: producers offer a session (at most once until it
 * is flushed, see {@link ClientSession#requestFlush()}), and one task per wake-up drains them all on the I/O
 * thread. The cost is one queue offer per client per producer batch and one task per batch, not one per frame.
 */
public final class FlushScheduler implements Runnable
{
    private static final Consumer<ClientSession> FLUSH = ClientSession::onFlushScheduled;

    private final XnioIoThread ioThread;
    private final ManyToOneConcurrentArrayQueue<ClientSession> pending;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** @param capacity at least the number of sessions on this thread (a session is queued at most once). */
    public FlushScheduler(final XnioIoThread ioThread, final int capacity)
    {
        this.ioThread = ioThread;
        this.pending = new ManyToOneConcurrentArrayQueue<>(capacity);
    }

    void schedule(final ClientSession session)
    {
        while (!pending.offer(session))
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
        pending.drain(FLUSH);
    }
}
