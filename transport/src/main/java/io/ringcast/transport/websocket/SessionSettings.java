package io.ringcast.transport.websocket;

import java.util.concurrent.TimeUnit;

/**
 * What the WebSocket side of a node is configured with, validated by the node's configuration. Immutable.
 *
 * @param outboundCapacityBytes what one client may have queued (--client-buffer).
 * @param maxConnections connections accepted at once (--max-connections).
 * @param ackTimeoutNs ack mode: how long a message waits for its ack before it is sent again (--ack-timeout-ms).
 * @param stallTimeoutNs a client with bytes pending that takes none of them for this long is closed with 4001
 * (--stall-timeout-ms).
 * @param pingIntervalNs a client silent for this long is pinged; one silent for twice as long is dropped
 * (--ping-interval-ms).
 */
public record SessionSettings(
    int outboundCapacityBytes, int maxConnections, long ackTimeoutNs, long stallTimeoutNs, long pingIntervalNs)
{
    /** How often each I/O thread looks at its clients (stall, ping, idle buffers, the queued-bytes gauge). */
    public static final long HOUSEKEEPING_INTERVAL_MS = 250;
    /** A client with nothing queued and nothing written for this long gives its live buffers back. */
    public static final long RELEASE_AFTER_IDLE_NS = TimeUnit.SECONDS.toNanos(1);

    /** A client silent for this long is dropped. */
    public long pingTimeoutNs()
    {
        return 2 * pingIntervalNs;
    }
}
