package io.ringcast.transport.websocket;

import io.ringcast.transport.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines for clients closed for a condition they cause themselves, one {@link RateLimitedLog} per reason,
 * so that no client (and no crowd of them) can flood the log; each close is also counted in the metrics.
 * Thread-safe: shared by every I/O thread of an endpoint.
 */
final class ClientCloseLog
{
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    final RateLimitedLog stalled = log("clients closed with 4001 (stalled: took nothing for --stall-timeout)");
    final RateLimitedLog pingTimeout = log("clients dropped (no answer to pings)");
    final RateLimitedLog protocolError = log("clients closed for a protocol error");
    final RateLimitedLog ackTimeout = log("clients closed with 4008 (a message not acked after 3 redeliveries)");

    /** Write the summaries that are due. */
    void poll(final long nowNs)
    {
        stalled.poll(nowNs);
        pingTimeout.poll(nowNs);
        protocolError.poll(nowNs);
        ackTimeout.poll(nowNs);
    }

    private static RateLimitedLog log(final String what)
    {
        return new RateLimitedLog(what, RateLimitedLog.DEFAULT_INTERVAL_NS, LOG::info);
    }
}
