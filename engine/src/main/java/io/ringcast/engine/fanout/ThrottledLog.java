package io.ringcast.engine.fanout;

import org.slf4j.Logger;

/**
 * One warning line at most per interval for a condition any client can cause, with the number of occurrences since
 * the last line, so that no client can flood the log. Owned by one thread (the fan-out); time comes from the caller.
 */
final class ThrottledLog
{
    private final Logger log;
    private final String what;
    private final long intervalNs;
    private long lastLogNs;
    private boolean logged;
    private long suppressed;

    /** @param what the condition, e.g. "closed with 4001: no room for a reply" (the session id goes in front). */
    ThrottledLog(final Logger log, final String what, final long intervalNs)
    {
        this.log = log;
        this.what = what;
        this.intervalNs = intervalNs;
    }

    /** @return true when a line was written. */
    boolean occurred(final long sessionId, final long nowNs, final String detail)
    {
        if (logged && nowNs - lastLogNs < intervalNs)
        {
            suppressed++;
            return false;
        }
        log.warn("session {}: {} ({}; {} more since the last report)", sessionId, what, detail, suppressed);
        logged = true;
        lastLogNs = nowNs;
        suppressed = 0;
        return true;
    }
}
