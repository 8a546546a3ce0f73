package io.ringcast.transport.websocket;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckTrackerTest
{
    private static final long TIMEOUT = 1_000;

    private final AckTracker tracker = new AckTracker(TIMEOUT);
    private final List<String> events = new ArrayList<>();
    private final AckTracker.Handler handler = new AckTracker.Handler()
    {
        @Override
        public void redeliver(final long id, final byte[] body, final int length, final int attempt)
        {
            events.add("redeliver " + id + " #" + attempt + " " + new String(body, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void ackTimedOut(final long id)
        {
            events.add("timeout " + id);
        }
    };

    private void written(final long id, final long now)
    {
        final byte[] body = ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
        tracker.onWritten(id, new UnsafeBuffer(body), 0, body.length, now);
    }

    @Test
    void shouldRedeliverAnUnackedMessageThreeTimesThenTimeOut()
    {
        written(7, 0);
        assertEquals(TIMEOUT, tracker.poll(0, handler));
        assertEquals(TIMEOUT, tracker.poll(TIMEOUT - 1, handler));
        assertTrue(events.isEmpty());
        assertEquals(2 * TIMEOUT, tracker.poll(TIMEOUT, handler));
        assertEquals(List.of("redeliver 7 #1 {\"id\":7}"), events);
        tracker.poll(2 * TIMEOUT, handler);
        tracker.poll(3 * TIMEOUT, handler);
        assertEquals(3, events.size());
        assertEquals("redeliver 7 #3 {\"id\":7}", events.get(2));
        assertEquals(Long.MAX_VALUE, tracker.poll(4 * TIMEOUT, handler));
        assertEquals("timeout 7", events.get(3));
    }

    @Test
    void shouldNotRedeliverWhatACumulativeAckCovers()
    {
        written(1, 0);
        written(2, 0);
        written(3, 10);
        tracker.onAck(2);
        assertEquals(1, tracker.pending());
        tracker.poll(TIMEOUT + 10, handler);
        assertEquals(List.of("redeliver 3 #1 {\"id\":3}"), events);
        tracker.onAck(3);
        assertEquals(Long.MAX_VALUE, tracker.poll(10 * TIMEOUT, handler));
        assertEquals(1, events.size());
        assertEquals(0, tracker.pending());
    }

    @Test
    void shouldTimeEachMessageFromItsOwnWrite()
    {
        written(1, 0);
        written(2, TIMEOUT / 2);
        tracker.poll(TIMEOUT, handler);
        assertEquals(List.of("redeliver 1 #1 {\"id\":1}"), events);
        assertEquals(TIMEOUT + TIMEOUT / 2, tracker.poll(TIMEOUT, handler), "message 2 expires on its own timer");
        tracker.poll(TIMEOUT + TIMEOUT / 2, handler);
        assertEquals("redeliver 2 #1 {\"id\":2}", events.get(1));
    }

    @Test
    void shouldIgnoreMessagesAlreadyAckedWhenWritten()
    {
        tracker.onAck(10);
        written(9, 0);
        assertEquals(0, tracker.pending());
    }

    @Test
    void shouldKeepBodiesIntactAcrossGrowthAndWrapAround()
    {
        long now = 0;
        long acked = 0;
        for (int id = 1; id <= 20_000; id++)
        {
            final String padding = "x".repeat(id % 97);
            final byte[] body = ("{\"id\":" + id + ",\"p\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
            tracker.onWritten(id, new UnsafeBuffer(body), 0, body.length, now++);
            if (id % 1000 == 0)
            {
                acked = id - 500;
                tracker.onAck(acked);
            }
        }
        assertEquals(500, tracker.pending());
        tracker.poll(now + TIMEOUT, handler);
        assertEquals(500, events.size());
        for (int i = 0; i < events.size(); i++)
        {
            final long id = acked + 1 + i;
            assertEquals("redeliver " + id + " #1 {\"id\":" + id + ",\"p\":\"" + "x".repeat((int)(id % 97)) + "\"}",
                events.get(i));
        }
    }
}
