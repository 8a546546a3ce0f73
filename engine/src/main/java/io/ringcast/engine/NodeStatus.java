package io.ringcast.engine;

import com.lmax.disruptor.RingBuffer;
import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.engine.pipeline.MessageEvent;
import io.ringcast.engine.replay.ReplayAgent;
import io.ringcast.journal.Journal;
import io.ringcast.transport.codec.JsonText;
import io.ringcast.transport.metrics.Metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's {@code /health} and {@code /metrics} text: the transport's counters, the engine's, and the node's gauges.
 * Served on an I/O thread, so it reads only counters and values other threads publish: the bytes queued for clients
 * come from the transport's O(1) gauge, which each I/O thread's housekeeping keeps up to date.
 */
final class NodeStatus
{
    private final Journal journal;
    private final Metrics metrics;
    private final EngineCounters counters;
    private final RingBuffer<MessageEvent> ringBuffer;
    private final ReplayAgent replayAgent;
    private final AtomicLong journaledHead;

    NodeStatus(
        final Journal journal,
        final Metrics metrics,
        final EngineCounters counters,
        final RingBuffer<MessageEvent> ringBuffer,
        final ReplayAgent replayAgent,
        final AtomicLong journaledHead)
    {
        this.journal = journal;
        this.metrics = metrics;
        this.counters = counters;
        this.ringBuffer = ringBuffer;
        this.replayAgent = replayAgent;
        this.journaledHead = journaledHead;
    }

    String healthJson()
    {
        return "{\"status\":\"ok\",\"head\":" + journaledHead.get() + ",\"epoch\":" + JsonText.quote(journal.epoch()) +
            ",\"oldest\":" + journal.oldestId() + ",\"connections\":" + metrics.openConnections() + "}";
    }

    String metricsText()
    {
        final StringBuilder sb = new StringBuilder(2048);
        counters.appendPrometheus(sb);
        final long remaining = ringBuffer.remainingCapacity();
        sb.append("# TYPE ringcast_journal_prefetch_errors_total counter\nringcast_journal_prefetch_errors_total ")
            .append(journal.prefetchErrors()).append('\n')
            .append("# TYPE ringcast_head_id gauge\nringcast_head_id ").append(journaledHead.get()).append('\n')
            .append("# TYPE ringcast_oldest_id gauge\nringcast_oldest_id ").append(journal.oldestId()).append('\n')
            .append("# TYPE ringcast_clients_in_catchup gauge\nringcast_clients_in_catchup ")
            .append(replayAgent.activeCatchUps()).append('\n')
            .append("# TYPE ringcast_catchup_max_lag_ids gauge\nringcast_catchup_max_lag_ids ")
            .append(replayAgent.maxCatchUpLag()).append('\n')
            .append("# TYPE ringcast_ws_queued_bytes gauge\nringcast_ws_queued_bytes ")
            .append(metrics.queuedBytes()).append('\n')
            .append("# TYPE ringcast_ring_used_slots gauge\nringcast_ring_used_slots ")
            .append(ringBuffer.getBufferSize() - remaining).append('\n');
        return metrics.toPrometheus(sb.toString());
    }
}
