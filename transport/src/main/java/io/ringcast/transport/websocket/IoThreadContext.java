package io.ringcast.transport.websocket;

import io.ringcast.transport.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What the sessions of one XNIO I/O thread share: the flush scheduler, the read buffers, and the housekeeping timer
 * that looks at each of them every {@link SessionSettings#HOUSEKEEPING_INTERVAL_MS} (stall, ping, idle buffers,
 * the queued-bytes gauge) on that thread, so a session's housekeeping state has one owner and needs no hand-off.
 * <p>
 * Created by the endpoint on the first upgrade on the thread; everything but {@link #flushScheduler()} is owned by
 * the I/O thread.
 */
final class IoThreadContext implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(IoThreadContext.class);

    private final XnioIoThread ioThread;
    private final FlushScheduler flushScheduler;
    private final InboundScratch scratch = new InboundScratch();
    private final ClientCloseLog closeLog;
    private final Metrics metrics;
    // I/O thread
    private final ArrayList<ClientSession> sessions = new ArrayList<>();
    private boolean timerStarted;

    IoThreadContext(
        final XnioIoThread ioThread, final int maxSessions, final ClientCloseLog closeLog, final Metrics metrics)
    {
        this.ioThread = ioThread;
        this.flushScheduler = new FlushScheduler(ioThread, Math.max(1024, maxSessions), metrics);
        this.closeLog = closeLog;
        this.metrics = metrics;
    }

    FlushScheduler flushScheduler()
    {
        return flushScheduler;
    }

    InboundScratch scratch()
    {
        return scratch;
    }

    ClientCloseLog closeLog()
    {
        return closeLog;
    }

    /** I/O thread: look after {@code session} from now on, until it is closed. */
    void add(final ClientSession session)
    {
        sessions.add(session);
        if (!timerStarted)
        {
            timerStarted = true;
            try
            {
                ioThread.executeAtInterval(this, SessionSettings.HOUSEKEEPING_INTERVAL_MS, TimeUnit.MILLISECONDS);
            }
            catch (final RejectedExecutionException ex)
            {
                LOG.debug("I/O worker stopping: no housekeeping timer");
            }
        }
    }

    /** The housekeeping tick, on the I/O thread. */
    @Override
    public void run()
    {
        final long nowNs = System.nanoTime();
        final ArrayList<ClientSession> sessions = this.sessions;
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final ClientSession session = sessions.get(i);
            if (session.isClosed())
            {
                session.onHousekeepingEnded();
                final int last = sessions.size() - 1;
                sessions.set(i, sessions.get(last));
                sessions.remove(last);
                continue;
            }
            try
            {
                session.housekeeping(nowNs);
            }
            catch (final RuntimeException ex)
            {
                metrics.ioErrors.increment();
                LOG.warn("{}: housekeeping failed", session, ex);
            }
        }
        closeLog.poll(nowNs);
    }
}
