package io.ringcast.engine;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.ringcast.engine.agent.AgentThreads;
import io.ringcast.engine.agent.LoggingErrorHandler;
import io.ringcast.engine.config.Config;
import io.ringcast.engine.fanout.FanoutHandler;
import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.engine.pipeline.JournalHandler;
import io.ringcast.engine.pipeline.LocalSequencer;
import io.ringcast.engine.pipeline.MessageEvent;
import io.ringcast.engine.pipeline.PipelineExceptionHandler;
import io.ringcast.engine.pipeline.PipelineThreads;
import io.ringcast.engine.pipeline.RingPublisher;
import io.ringcast.engine.replay.ReplayAgent;
import io.ringcast.journal.Journal;
import io.ringcast.transport.http.HttpServer;
import io.ringcast.transport.ingest.IngestServer;
import io.ringcast.transport.metrics.Metrics;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.websocket.ClientListener;
import io.ringcast.transport.websocket.SessionSettings;
import io.ringcast.transport.websocket.WebSocketEndpoint;
import io.ringcast.transport.websocket.WebSocketFrames;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Ringcast node: the journal, the Disruptor pipeline (journal handler, then fan-out handler), the HTTP/WebSocket
 * server and the ingest server, with an orderly start and stop.
 */
public final class Node implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final Config config;
    /** The transport's counters, and the engine's (fan-out, replay, agents). */
    private final Metrics metrics = new Metrics();
    private final EngineCounters counters = new EngineCounters();
    private final Journal journal;
    private final Disruptor<MessageEvent> disruptor;
    private final RingBuffer<MessageEvent> ringBuffer;
    private final AtomicLong journaledHead = new AtomicLong();
    private final AtomicLong fanoutHead = new AtomicLong();
    private final Set<Subscriber> sessions = ConcurrentHashMap.newKeySet();
    private final HttpServer httpServer;
    private final IngestServer ingestServer;
    private final ReplayAgent replayAgent;
    private final NodeStatus status;
    private final AgentRunner replayRunner;
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
            MessageEvent::new, config.ringSize(), new PipelineThreads(), ProducerType.MULTI,
            config.waitStrategy().newWaitStrategy());
        disruptor.setDefaultExceptionHandler(new PipelineExceptionHandler(counters.agentErrors));
        final JournalHandler journalHandler = new JournalHandler(
            journal, new LocalSequencer(journal.lastIdAtOpen()), counters, journaledHead);
        replayAgent = new ReplayAgent(
            journal::newReader, counters, journaledHead::get, fanoutHead::get, config.maxLag(),
            SystemNanoClock.INSTANCE, ReplayAgent.JOB_QUEUE_CAPACITY);
        replayRunner = new AgentRunner(
            new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(1)),
            new CountedErrorHandler(new LoggingErrorHandler(replayAgent.roleName()), counters.agentErrors),
            null, replayAgent);
        final FanoutHandler fanoutHandler = new FanoutHandler(
            counters, journal.epoch(), journal.lastIdAtOpen(), journal::oldestId, replayAgent, fanoutHead,
            config.replayRate());
        disruptor.handleEventsWith(journalHandler).then(fanoutHandler);
        ringBuffer = disruptor.start();
        final RingPublisher publisher = new RingPublisher(ringBuffer);
        status = new NodeStatus(journal, metrics, counters, ringBuffer, replayAgent, journaledHead);
        replayAgent.rejoinRequests(publisher);

        final WebSocketEndpoint endpoint = new WebSocketEndpoint(
            new SessionListener(publisher), metrics, new SessionSettings(
                config.clientBufferBytes(), config.maxConnections(), TimeUnit.MILLISECONDS.toNanos(config.ackTimeoutMs()),
                TimeUnit.MILLISECONDS.toNanos(config.stallTimeoutMs()),
                TimeUnit.MILLISECONDS.toNanos(config.pingIntervalMs())));
        httpServer = new HttpServer(
            config.httpBind(), config.httpPort(), config.ioThreads(), endpoint, publisher, metrics, config.maxPayloadBytes(),
            status::healthJson, status::metricsText);
        ingestServer = new IngestServer(
            new InetSocketAddress(config.ingestBind(), config.ingestPort()), publisher, metrics,
            config.maxPayloadBytes());
    }

    /** Open the journal, start the pipeline and both listeners. */
    public static Node start(final Config config)
    {
        final Node node = new Node(config);
        AgentThreads.start(node.replayRunner);
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

    /** The transport's counters. */
    public Metrics metrics()
    {
        return metrics;
    }

    /** The engine's counters (fan-out, replay, agents). */
    public EngineCounters counters()
    {
        return counters;
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
            LOG.warn("pipeline did not drain within 2 s; halting it");
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
        replayRunner.close();
        httpServer.close();
        journal.close();
        LOG.info("stopped in {} ms; head {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs),
            journaledHead.get());
    }

    private void applyRetention()
    {
        try
        {
            final int deleted = journal.deleteExpired(System.currentTimeMillis(), config.retentionMs(), head());
            if (deleted > 0)
            {
                LOG.info("retention: deleted {} journal file(s) older than {} ms; oldest id now {}",
                    deleted, config.retentionMs(), journal.oldestId());
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("retention check failed: {}", ex.toString());
        }
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

}
