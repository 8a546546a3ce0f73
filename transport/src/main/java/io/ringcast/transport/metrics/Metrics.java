package io.ringcast.transport.metrics;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport's counters (WebSocket sessions, ingest), kept off-heap in an Agrona {@link CountersManager} and
 * served as Prometheus text. The engine counts its own (journal, fan-out, replay) in {@code io.ringcast.engine.metrics.EngineCounters}.
 * <p>
 * Each counter has one writer thread unless its javadoc says otherwise: single-writer counters are updated with
 * ordered stores ({@code incrementRelease}/{@code getAndAddRelease}), once per batch on hot paths.
 */
public final class Metrics
{
    private static final int MAX_COUNTERS = 64;

    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.COUNTER_LENGTH)));

    /** I/O threads (atomic, housekeeping timer). Clients closed with 4001 for --stall-timeout. */
    public final AtomicCounter stallCloses = counter("ringcast_ws_closes_stalled_total");
    /** I/O threads (atomic, housekeeping timer). Clients dropped for sending nothing for twice --ping-interval. */
    public final AtomicCounter pingTimeouts = counter("ringcast_ws_closes_ping_timeout_total");
    /** I/O threads (atomic). Messages sent again in ack mode. */
    public final AtomicCounter redeliveries = counter("ringcast_ack_redeliveries_total");
    /** I/O threads (atomic). Clients closed with 4008 (a third redelivery timed out). */
    public final AtomicCounter ackTimeoutCloses = counter("ringcast_ws_closes_ack_timeout_total");
    /** I/O threads (atomic). Socket write calls made to flush client buffers. */
    public final AtomicCounter socketWrites = counter("ringcast_ws_socket_writes_total");
    /** I/O threads (atomic). Bytes written to WebSocket clients. */
    public final AtomicCounter bytesWritten = counter("ringcast_ws_bytes_written_total");
    /** I/O threads (atomic). WebSocket connections accepted. */
    public final AtomicCounter connectionsOpened = counter("ringcast_ws_connections_opened_total");
    /** I/O threads (atomic). WebSocket connections closed. */
    public final AtomicCounter connectionsClosed = counter("ringcast_ws_connections_closed_total");
    /** I/O threads (atomic). Upgrades refused because of --max-connections. */
    public final AtomicCounter connectionsRefused = counter("ringcast_ws_connections_refused_total");
    /** I/O threads (atomic). Idle clients' live send buffers given back (they are created again by the next frame). */
    public final AtomicCounter sendBuffersReleased = counter("ringcast_ws_send_buffers_released_total");
    /** I/O threads (atomic). Client requests refused with a bad_request error frame. */
    public final AtomicCounter badRequests = counter("ringcast_ws_bad_requests_total");
    /** I/O threads (atomic). Connections closed for a protocol violation (1002, 1007, 1009). */
    public final AtomicCounter protocolErrors = counter("ringcast_ws_protocol_errors_total");
    /** I/O threads (atomic). Unexpected failures of a session's flush or housekeeping (each logged). */
    public final AtomicCounter ioErrors = counter("ringcast_ws_io_errors_total");
    /**
     * Ingest and I/O threads (atomic). Times the pipeline was full when a publish, a client request or a client's
     * closed notification was handed to it: the connection stopped being read and the hand-over was retried.
     */
    public final AtomicCounter backPressured = counter("ringcast_transport_back_pressured_total");
    /** Ingest thread. Ingest connections accepted. */
    public final AtomicCounter ingestConnections = counter("ringcast_ingest_connections_total");
    /** Ingest thread. Ingest frames decoded, accepted or not. */
    public final AtomicCounter ingestFrames = counter("ringcast_ingest_frames_total");
    /** Ingest thread. Ingest connections closed for a bad length field. */
    public final AtomicCounter ingestBadLength = counter("ringcast_ingest_bad_length_closes_total");
    /** Ingest thread. Unexpected failures on the ingest loop (each logged; the loop goes on). */
    public final AtomicCounter ingestErrors = counter("ringcast_ingest_errors_total");

    /** Bytes queued for WebSocket clients, as last reported by each (its I/O thread adds its changes). */
    private final AtomicLong queuedBytes = new AtomicLong();

    /** I/O threads: a client's queued bytes changed by {@code deltaBytes} since it last reported. */
    public void addQueuedBytes(final long deltaBytes)
    {
        if (deltaBytes != 0)
        {
            queuedBytes.getAndAdd(deltaBytes);
        }
    }

    /** Bytes queued for WebSocket clients, as of each client's last housekeeping tick (O(1), any thread). */
    public long queuedBytes()
    {
        return queuedBytes.get();
    }

    private AtomicCounter counter(final String name)
    {
        return counters.newCounter(name);
    }

    /** Current WebSocket connections. */
    public long openConnections()
    {
        return connectionsOpened.get() - connectionsClosed.get();
    }

    /** Prometheus text exposition of every counter, plus the gauges given. */
    public String toPrometheus(final String extraGauges)
    {
        final StringBuilder sb = new StringBuilder(2048);
        final Set<String> seen = new LinkedHashSet<>();
        counters.forEach((id, label) ->
        {
            if (seen.add(label))
            {
                sb.append("# TYPE ").append(label).append(" counter\n");
            }
            sb.append(label).append(' ').append(counters.getCounterValue(id)).append('\n');
        });
        sb.append("# TYPE ringcast_ws_connections gauge\n");
        sb.append("ringcast_ws_connections ").append(openConnections()).append('\n');
        sb.append(extraGauges);
        return sb.toString();
    }
}
