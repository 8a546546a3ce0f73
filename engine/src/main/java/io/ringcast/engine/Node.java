package io.ringcast.engine;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.ringcast.engine.config.Config;
import io.ringcast.engine.fanout.FanoutHandler;
import io.ringcast.engine.pipeline.BackoffWaitStrategy;
import io.ringcast.engine.pipeline.JournalHandler;
import io.ringcast.engine.pipeline.LocalSequencer;
import io.ringcast.engine.pipeline.MessageEvent;
import io.ringcast.engine.pipeline.RingPublisher;
import io.ringcast.engine.replay.ReplayAgent;
import io.ringcast.journal.Journal;
import io.ringcast.transport.codec.JsonText;
import io.ringcast.transport.http.HttpServer;
import io.ringcast.transport.ingest.IngestServer;
import io.ringcast.transport.metrics.Metrics;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.websocket.ClientListener;
import io.ringcast.transport.websocket.SessionSettings;
import io.ringcast.transport.websocket.WebSocketEndpoint;
import io.ringcast.transport.websocket.WebSocketFrames;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Ringcast node: the journal, the Disruptor pipeline (journal handler, then fan-out handler), the HTTP/WebSocket
 * server and the ingest server, with an orderly start and stop.
 */
public final class Node implements AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(Node.class.getName());

    private final Config config;
    private final Metrics metrics = new Metrics();
    private final Journal journal;
    private final Disruptor<MessageEvent> disruptor;
    private final RingBuffer<MessageEvent> ringBuffer;
    private final AtomicLong journaledHead = new AtomicLong();
    private final AtomicLong fanoutHead = new AtomicLong();
    private final Set<Subscriber> sessions = ConcurrentHashMap.newKeySet();
    private final HttpServer httpServer;
    private final IngestServer ingestServer;
    private final ReplayAgent replayAgent;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "ringcast-housekeeping");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopped;

    private Node(final Config config)
    {
        this.config = config;
        this.journal = Journal.open(config.journalDir(), config.rollCycle());
        journaledHead.set(journal.lastIdAtOpen());
        fanoutHead.set(journal.lastIdAtOpen());

        disruptor = new Disruptor<>(
            MessageEvent::new, config.ringSize(), new PipelineThreadFactory(), ProducerType.MULTI,
            waitStrategy(config.waitStrategy()));
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        final JournalHandler journalHandler = new JournalHandler(
            journal, new LocalSequencer(journal.lastIdAtOpen()), metrics, journaledHead);
        replayAgent = new ReplayAgent(journal, metrics, journaledHead::get, fanoutHead::get, config.maxLag());
        final FanoutHandler fanoutHandler = new FanoutHandler(
            metrics, journal.epoch(), journal.lastIdAtOpen(), journal::oldestId, replayAgent, fanoutHead,
            config.replayRate());
        disruptor.handleEventsWith(journalHandler).then(fanoutHandler);
        ringBuffer = disruptor.start();
        final RingPublisher publisher = new RingPublisher(ringBuffer);
        replayAgent.rejoinRequests(publisher);

        final WebSocketEndpoint endpoint = new WebSocketEndpoint(
            new SessionListener(publisher), metrics, new SessionSettings(
                config.clientBufferBytes(), config.maxConnections(), TimeUnit.MILLISECONDS.toNanos(config.ackTimeoutMs()),
                TimeUnit.MILLISECONDS.toNanos(config.stallTimeoutMs()),
                TimeUnit.MILLISECONDS.toNanos(config.pingIntervalMs())));
        httpServer = new HttpServer(
            config.httpBind(), config.httpPort(), config.ioThreads(), endpoint, publisher, metrics, config.maxPayloadBytes(),
            this::healthJson, () -> metrics.toPrometheus(gauges()));
        ingestServer = new IngestServer(
            new InetSocketAddress(config.ingestBind(), config.ingestPort()), publisher, metrics,
            config.maxPayloadBytes());
    }

    private static WaitStrategy waitStrategy(final String name)
    {
        switch (name)
        {
            case "blocking":
                return new BlockingWaitStrategy();
            case "lite":
                return new LiteBlockingWaitStrategy();
            case "yielding":
                return new YieldingWaitStrategy();
            case "phased":
                // Spin ~10 us then yield ~100 us before parking on a lock.
                return PhasedBackoffWaitStrategy.withLiteLock(10, 100, TimeUnit.MICROSECONDS);
            default:
                return new BackoffWaitStrategy();
        }
    }

    /** Open the journal, start the pipeline and both listeners. */
    public static Node start(final Config config)
    {
        final Node node = new Node(config);
        node.replayAgent.start();
        final long retentionCheckMs = Math.max(100, Math.min(60_000, config.retentionMs() / 10));
        node.housekeeping.scheduleWithFixedDelay(
            node::applyRetention, retentionCheckMs, retentionCheckMs, TimeUnit.MILLISECONDS);
        node.httpServer.start();
        node.ingestServer.start();
        return node;
    }

    public InetSocketAddress httpAddress()
    {
        return httpServer.localAddress();
    }

    public InetSocketAddress ingestAddress()
    {
        return ingestServer.localAddress();
    }

    public Metrics metrics()
    {
        return metrics;
    }

    public String epoch()
    {
        return journal.epoch();
    }

    /** The newest journaled id. */
    public long head()
    {
        return journaledHead.get();
    }

    public Journal journal()
    {
        return journal;
    }

    /**
     * Orderly stop: refuse new work, answer every ingest frame received in full, finish journaling and fan-out,
     * close every client with 1001 behind what it was already sent, then stop. Bounded to about 8 s.
     */
    @Override
    public synchronized void close()
    {
        if (stopped)
        {
            return;
        }
        stopped = true;
        final long startNs = System.nanoTime();
        httpServer.stopAccepting();
        try
        {
            ingestServer.drainAndStop(3000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            disruptor.shutdown(2, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            LOG.warning("pipeline did not drain within 2 s; halting it");
            disruptor.halt();
        }
        for (final Subscriber session : sessions)
        {
            session.close(WebSocketFrames.CLOSE_GOING_AWAY, "node shutting down");
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (metrics.openConnections() > 0 && System.nanoTime() < deadline)
        {
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        housekeeping.shutdownNow();
        replayAgent.close();
        httpServer.close();
        journal.close();
        LOG.info("stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms; head " +
            journaledHead.get());
    }

    private void applyRetention()
    {
        try
        {
            final int deleted = journal.deleteExpired(System.currentTimeMillis(), config.retentionMs(), head());
            if (deleted > 0)
            {
                LOG.info("retention: deleted " + deleted + " journal file(s) older than " + config.retentionMs() +
                    " ms; oldest id now " + journal.oldestId());
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.warning("retention check failed: " + ex.getMessage());
        }
    }

    private String healthJson()
    {
        return "{\"status\":\"ok\",\"head\":" + journaledHead.get() + ",\"epoch\":" + JsonText.quote(journal.epoch()) +
            ",\"oldest\":" + journal.oldestId() + ",\"connections\":" + metrics.openConnections() + "}";
    }

    private String gauges()
    {
        final long remaining = ringBuffer.remainingCapacity();
        final long queued = metrics.queuedBytes();
        return "# TYPE ringcast_head_id gauge\nringcast_head_id " + journaledHead.get() + "\n" +
            "# TYPE ringcast_oldest_id gauge\nringcast_oldest_id " + journal.oldestId() + "\n" +
            "# TYPE ringcast_clients_in_catchup gauge\nringcast_clients_in_catchup " + replayAgent.activeCatchUps() + "\n" +
            "# TYPE ringcast_catchup_max_lag_ids gauge\nringcast_catchup_max_lag_ids " + replayAgent.maxCatchUpLag() + "\n" +
            "# TYPE ringcast_ws_queued_bytes gauge\nringcast_ws_queued_bytes " + queued + "\n" +
            "# TYPE ringcast_ring_used_slots gauge\nringcast_ring_used_slots " +
            (ringBuffer.getBufferSize() - remaining) + "\n";
    }

    private final class SessionListener implements ClientListener
    {
        private final RingPublisher publisher;

        SessionListener(final RingPublisher publisher)
        {
            this.publisher = publisher;
        }

        @Override
        public void onOpened(final Subscriber session)
        {
            sessions.add(session);
        }

        @Override
        public boolean onRequest(final Subscriber session, final ClientRequest request)
        {
            return publisher.request(session, request);
        }

        @Override
        public boolean onClosed(final Subscriber session)
        {
            sessions.remove(session);
            return stopped || publisher.closed(session);
        }
    }

    private static final class PipelineThreadFactory implements java.util.concurrent.ThreadFactory
    {
        private int count;

        @Override
        public synchronized Thread newThread(final Runnable runnable)
        {
            final Thread thread = new Thread(runnable, count++ == 0 ? "ringcast-journal" : "ringcast-fanout");
            thread.setDaemon(true);
            return thread;
        }
    }

    /** Logs a failure on a pipeline thread with its context and keeps the thread running. */
    private static final class LoggingExceptionHandler implements ExceptionHandler<MessageEvent>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final MessageEvent event)
        {
            LOG.log(Level.SEVERE, "pipeline failed on sequence " + sequence + " (type " + event.type() + ", id " +
                event.id() + "); continuing", ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            LOG.log(Level.SEVERE, "pipeline failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            LOG.log(Level.SEVERE, "pipeline failed to stop", ex);
        }
    }
}
