package io.ringcast.transport.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A log line for an expected condition that any client can cause (a stall, a ping timeout, a protocol error): the
 * first occurrence in an interval is logged at once, the others are only counted and summed up in one line when the
 * interval is over ("12 clients closed with 4001 (stalled) in the last 10 s, e.g. session 7 /1.2.3.4:5"), so that no
 * client, and no crowd of them, can flood the log. The summary comes out with the next {@link #record} or
 * {@link #poll} after the interval.
 * <p>
 * Thread-safe: {@link #record} and {@link #poll} may be called from any thread (they are on slow paths, one atomic
 * increment when not logging). Time is passed in, so tests drive it by hand.
 */
public final class RateLimitedLog
{
    /** How often a summary line may be written for one condition, unless told otherwise. */
    public static final long DEFAULT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final String what;
    private final long intervalNs;
    private final Consumer<String> out;
    /** Occurrences recorded and not yet logged. */
    private final AtomicLong unlogged = new AtomicLong();
    /** When the current interval started; Long.MIN_VALUE before the first line. */
    private final AtomicLong intervalStartNs = new AtomicLong(Long.MIN_VALUE);
    /** One occurrence of the current interval, for context (set by the first one recorded after a line). */
    private volatile Object example;

    /**
     * @param what what happened, as it reads after a count: {@code "clients closed with 4001 (stalled)"}.
     * @param out where a line goes, e.g. {@code LOG::info}.
     */
    public RateLimitedLog(final String what, final long intervalNs, final Consumer<String> out)
    {
        this.what = what;
        this.intervalNs = intervalNs;
        this.out = out;
    }

    /** One occurrence, with an object describing it (its {@code toString()} is called only when logged). */
    public void record(final long nowNs, final Object occurrence)
    {
        if (unlogged.getAndIncrement() == 0)
        {
            example = occurrence;
        }
        poll(nowNs);
    }

    /** Write the summary if the interval is over and something was recorded. */
    public void poll(final long nowNs)
    {
        final long start = intervalStartNs.get();
        if (unlogged.get() == 0 || (start != Long.MIN_VALUE && nowNs - start < intervalNs))
        {
            return;
        }
        if (!intervalStartNs.compareAndSet(start, nowNs))
        {
            return;  // another thread writes this interval's line
        }
        final Object occurrence = example;
        final long count = unlogged.getAndSet(0);
        if (count == 0)
        {
            return;
        }
        final String line;
        if (start == Long.MIN_VALUE || count == 1)
        {
            line = count + (count == 1 ? " " + singular() : " " + what) + ": " + occurrence;
        }
        else
        {
            line = count + " " + what + " in the last " + TimeUnit.NANOSECONDS.toSeconds(nowNs - start) +
                " s, e.g. " + occurrence;
        }
        out.accept(line);
    }

    private String singular()
    {
        return what.startsWith("clients ") ? "client " + what.substring("clients ".length()) : what;
    }
}
