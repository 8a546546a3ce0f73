package io.ringcast.transport.websocket;

import org.junit.jupiter.api.Test;

import static io.ringcast.transport.websocket.HousekeepingCheck.ACTION_NONE;
import static io.ringcast.transport.websocket.HousekeepingCheck.ACTION_PING;
import static io.ringcast.transport.websocket.HousekeepingCheck.ACTION_PING_TIMEOUT;
import static io.ringcast.transport.websocket.HousekeepingCheck.ACTION_RELEASE_BUFFERS;
import static io.ringcast.transport.websocket.HousekeepingCheck.ACTION_STALLED;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Time is a long the test advances by hand. */
class HousekeepingCheckTest
{
    private static final long STALL_NS = 1_000;
    private static final long PING_NS = 10_000;
    private static final long RELEASE_NS = 500;

    private final HousekeepingCheck check =
        new HousekeepingCheck(new SessionSettings(1024, 10, 1, STALL_NS, PING_NS), RELEASE_NS, 0);

    @Test
    void shouldReportAStallOnlyWhenQueuedBytesAreNotTakenForTheStallTimeout()
    {
        assertEquals(ACTION_NONE, check.check(0, 100, false, 0, 0, true));
        assertEquals(ACTION_NONE, check.check(STALL_NS - 1, 100, false, 0, 0, true));
        assertEquals(ACTION_NONE, check.check(STALL_NS, 100, false, 50, STALL_NS, true), "progress resets it");
        assertEquals(ACTION_STALLED, check.check(2 * STALL_NS, 100, false, 50, 2 * STALL_NS, true));
    }

    @Test
    void shouldNotReportAStallWhileACloseIsUnderWay()
    {
        check.check(0, 100, true, 0, 0, true);
        assertEquals(0, check.check(5 * STALL_NS, 100, true, 0, 5 * STALL_NS, true) & ACTION_STALLED);
    }

    @Test
    void shouldPingASilentClientOncePerIntervalAndDropItAfterTwice()
    {
        assertEquals(ACTION_PING, check.check(PING_NS, 0, false, 0, 0, false));
        assertEquals(ACTION_NONE, check.check(PING_NS + 1, 0, false, 0, 0, false));
        assertEquals(ACTION_PING_TIMEOUT, check.check(2 * PING_NS, 0, false, 0, 0, false));
    }

    @Test
    void shouldReleaseIdleLiveBuffersAtMostOncePerInterval()
    {
        assertEquals(ACTION_NONE, check.check(0, 0, false, 10, 0, true));
        assertEquals(ACTION_RELEASE_BUFFERS, check.check(RELEASE_NS, 0, false, 10, RELEASE_NS, true));
        assertEquals(ACTION_NONE, check.check(RELEASE_NS + 1, 0, false, 10, RELEASE_NS + 1, true));
        assertEquals(ACTION_NONE, check.check(5 * RELEASE_NS, 0, false, 10, 5 * RELEASE_NS, false), "none held");
    }
}
