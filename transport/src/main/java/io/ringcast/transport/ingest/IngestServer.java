package io.ringcast.transport.ingest;

import io.ringcast.transport.MessagePublisher;
import io.ringcast.transport.log.RateLimitedLog;
import io.ringcast.transport.metrics.Metrics;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The TCP ingest port: one agent, one selector, every publisher connection. Frames are decoded and published into
 * the pipeline on the agent's thread; replies come back from the journal thread (see {@link IngestConnection}) and
 * are written here.
 * <p>
 * It runs as an Agrona {@link Agent} under an {@link AgentRunner}: each duty cycle is one {@code select} (which is
 * also the idle wait: up to {@value #IDLE_SELECT_MS} ms, {@value #BACK_PRESSURE_RETRY_MS} ms while a connection is
 * back-pressured, cut short by new connections, bytes or replies), then the reads and the replies. Errors are counted
 * ({@code ringcast_ingest_errors_total}) and logged, and the loop goes on; an {@link Error} stops it. Every field
 * below the constructor's is owned by the agent's thread unless marked otherwise.
 */
public final class IngestServer implements Agent, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);
    /** How long the selector waits while a connection is back-pressured, before its frame is offered again. */
    static final long BACK_PRESSURE_RETRY_MS = 1;
    private static final long IDLE_SELECT_MS = 100;

    private final MessagePublisher publisher;
    private final Metrics metrics;
    private final int maxPayloadBytes;
    private final Selector selector;
    private final ServerSocketChannel serverChannel;
    private final List<IngestConnection> connections = new ArrayList<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final AgentRunner runner;
    /** Any thread sets it (a graceful stop); the agent reads it. */
    private volatile boolean draining;
    private final RateLimitedLog badLengthLog = new RateLimitedLog(
        "ingest connections closed for a bad frame length", RateLimitedLog.DEFAULT_INTERVAL_NS, LOG::info);
    private boolean anyBackPressured;
    private boolean drainStarted;

    public IngestServer(
        final InetSocketAddress bindAddress,
        final MessagePublisher publisher,
        final Metrics metrics,
        final int maxPayloadBytes)
    {
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
        try
        {
            selector = Selector.open();
            serverChannel = ServerSocketChannel.open();
            serverChannel.bind(bindAddress, 1024);
            serverChannel.configureBlocking(false);
            serverChannel.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot listen for ingest on " + bindAddress + ": " + ex.getMessage(), ex);
        }
        runner = new AgentRunner(NoOpIdleStrategy.INSTANCE, new CountedErrorHandler(
            ex -> LOG.error("ingest loop error (continuing)", ex), metrics.ingestErrors), null, this);
    }

    public InetSocketAddress localAddress()
    {
        try
        {
            return (InetSocketAddress)serverChannel.getLocalAddress();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public void start()
    {
        AgentRunner.startOnThread(runner, runnable ->
        {
            final Thread thread = new Thread(runnable, roleName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Journal thread (once per batch): replies are waiting. */
    public void wakeup()
    {
        if (!wakeupPending.get() && wakeupPending.compareAndSet(false, true))
        {
            selector.wakeup();
        }
    }

    /**
     * Graceful stop: accept nothing more, publish every frame already received in full, answer all of them, then
     * close. Waits up to {@code timeoutMs}; the pipeline must keep running meanwhile.
     */
    public void drainAndStop(final long timeoutMs) throws InterruptedException
    {
        draining = true;
        selector.wakeup();
        final Thread thread = runner.thread();
        if (thread != null)
        {
            thread.join(timeoutMs);
        }
        close();
    }

    /** Stop now: the agent ends its duty cycle (the selector is woken), closes every connection and the port. */
    @Override
    public void close()
    {
        selector.wakeup();
        runner.close();
    }

    /** Publishers closed for a bad length field: counted, and logged rate-limited (a publisher can repeat it). */
    RateLimitedLog badLengthLog()
    {
        return badLengthLog;
    }

    @Override
    public String roleName()
    {
        return "ringcast-ingest";
    }

    /** One select, its reads and accepts, then the replies; ends the agent once a drain has answered everything. */
    @Override
    public int doWork() throws IOException
    {
        final int ready = selector.select(anyBackPressured ? BACK_PRESSURE_RETRY_MS : IDLE_SELECT_MS);
        wakeupPending.set(false);
        if (draining && !drainStarted)
        {
            drainStarted = true;
            startDrain();
        }
        final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext())
        {
            final SelectionKey key = keys.next();
            keys.remove();
            if (!key.isValid())
            {
                continue;
            }
            if (key.isAcceptable())
            {
                accept();
            }
            else if (key.isReadable())
            {
                read(key);
            }
        }
        serviceConnections();
        badLengthLog.poll(System.nanoTime());
        if (drainStarted && connections.isEmpty())
        {
            throw new AgentTerminationException(true);  // drained: every frame received is answered
        }
        return ready;
    }

    @Override
    public void onClose()
    {
        for (final IngestConnection connection : connections)
        {
            connection.close();
        }
        closeQuietly();
    }

    private void accept() throws IOException
    {
        final SocketChannel channel = serverChannel.accept();
        if (channel == null || draining)
        {
            if (channel != null)
            {
                channel.close();
            }
            return;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        final IngestConnection connection = new IngestConnection(channel, this, publisher, metrics, maxPayloadBytes);
        channel.register(selector, SelectionKey.OP_READ, connection);
        connections.add(connection);
        metrics.ingestConnections.increment();
    }

    private void read(final SelectionKey key)
    {
        final IngestConnection connection = (IngestConnection)key.attachment();
        try
        {
            connection.onReadable();
        }
        catch (final IOException ex)
        {
            LOG.debug("ingest {}: read failed: {}", connection.remoteAddress(), ex.getMessage());
            connection.finishInput();
        }
    }

    /** Write replies, resume or pause reading, close connections that are done. */
    private void serviceConnections()
    {
        boolean anyBackPressured = false;
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            final IngestConnection connection = connections.get(i);
            final SelectionKey key = connection.channel().keyFor(selector);
            try
            {
                final boolean blockedBefore = connection.isBlockedOnReplies() || connection.isBackPressured();
                final boolean pendingWrite = connection.writeReplies();
                if (blockedBefore && !connection.isBlockedOnReplies())
                {
                    connection.decodeFrames();
                }
                anyBackPressured |= connection.isBackPressured();
                if (connection.isInputDone() && connection.allAnswered())
                {
                    remove(i, connection, key);
                    continue;
                }
                int ops = pendingWrite ? SelectionKey.OP_WRITE : 0;
                if (!connection.isInputDone() && !connection.isBlockedOnReplies() && !connection.isBackPressured())
                {
                    ops |= SelectionKey.OP_READ;
                }
                if (key != null && key.isValid() && key.interestOps() != ops)
                {
                    key.interestOps(ops);
                }
            }
            catch (final IOException ex)
            {
                LOG.debug("ingest {}: write failed: {}", connection.remoteAddress(), ex.getMessage());
                remove(i, connection, key);
            }
        }
        this.anyBackPressured = anyBackPressured;
    }

    private void remove(final int index, final IngestConnection connection, final SelectionKey key)
    {
        if (key != null)
        {
            key.cancel();
        }
        connection.close();
        connections.remove(index);
    }

    private void startDrain()
    {
        try
        {
            serverChannel.close();
        }
        catch (final IOException ignore)
        {
        }
        for (final IngestConnection connection : connections)
        {
            try
            {
                // Take what the kernel already holds (no waiting: a read of 0 ends it); complete frames are
                // published, a partial one is dropped; a back-pressured one is retried by serviceConnections.
                boolean more = true;
                while (more && !connection.isInputDone() && !connection.isBlockedOnReplies() &&
                    !connection.isBackPressured())
                {
                    more = connection.onReadable() > 0;
                }
            }
            catch (final IOException ex)
            {
                LOG.debug("ingest {}: {}", connection.remoteAddress(), ex.getMessage());
            }
            connection.finishInput();
        }
    }

    private void closeQuietly()
    {
        try
        {
            serverChannel.close();
            selector.close();
        }
        catch (final IOException ignore)
        {
        }
    }
}
