package io.ringcast.transport.log;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The clock is a long the test advances by hand. */
class RateLimitedLogTest
{
    private static final long INTERVAL_NS = 10_000_000_000L;

    private final List<String> lines = new ArrayList<>();
    private final RateLimitedLog log = new RateLimitedLog("clients closed with 4001 (stalled)", INTERVAL_NS, lines::add);

    @Test
    void shouldLogTheFirstOccurrenceAtOnceAndSumUpTheRestOfTheIntervalInOneLine()
    {
        long nowNs = 1_000;
        log.record(nowNs, "session 1");
        for (int i = 2; i <= 1_000; i++)
        {
            log.record(nowNs + i, "session " + i);
        }
        assertEquals(List.of("1 client closed with 4001 (stalled): session 1"), lines, "a flood writes one line");

        nowNs += INTERVAL_NS;
        log.poll(nowNs);
        assertEquals(2, lines.size());
        assertEquals("999 clients closed with 4001 (stalled) in the last 10 s, e.g. session 2", lines.get(1));
    }

    @Test
    void shouldWriteNothingWhenNothingHappened()
    {
        log.poll(0);
        log.poll(INTERVAL_NS * 5);
        assertEquals(List.of(), lines);
    }

    @Test
    void shouldLogAgainAtOnceAfterAQuietInterval()
    {
        log.record(0, "session 1");
        log.poll(INTERVAL_NS);
        log.record(3 * INTERVAL_NS, "session 2");
        assertEquals(List.of("1 client closed with 4001 (stalled): session 1",
            "1 client closed with 4001 (stalled): session 2"), lines);
    }
}
