package io.ringcast.transport.http;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.IngestOnlyPublisher;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The I/O thread's timer is a queue the test runs by hand; the ring is a publisher that refuses N times. */
class PublishRetryTest
{
    private final ArrayDeque<Runnable> timer = new ArrayDeque<>();
    private final List<Long> delaysNs = new ArrayList<>();
    private final InboundMessage message = new InboundMessage();
    private int backPressured;
    private int stopped;

    @Test
    void shouldReturnAtTheFirstRefusalAndPublishExactlyOnceOnTheTimer()
    {
        final RefusingPublisher publisher = new RefusingPublisher(3);
        final PublishRetry retry = retry(publisher, true);

        assertFalse(retry.publishOrRetryLater());
        assertEquals(1, publisher.attempts, "one attempt, then the I/O thread is given back");
        assertEquals(1, timer.size());

        final Runnable otherWorkOnTheThread = () -> delaysNs.add(-1L);
        timer.add(otherWorkOnTheThread);
        while (!timer.isEmpty())
        {
            timer.poll().run();
        }

        assertEquals(1, publisher.published);
        assertEquals(4, publisher.attempts);
        assertEquals(3, backPressured);
        assertEquals(0, stopped);
        assertTrue(delaysNs.contains(-1L), "other tasks on the thread ran between the retries");
        // Each delay is recorded when its retry is scheduled; the other task ran between the second and third.
        assertEquals(List.of(PublishRetry.MIN_BACKOFF_NS, 2 * PublishRetry.MIN_BACKOFF_NS, -1L,
            4 * PublishRetry.MIN_BACKOFF_NS), delaysNs);
    }

    @Test
    void shouldPublishAtOnceWhenThereIsRoom()
    {
        final RefusingPublisher publisher = new RefusingPublisher(0);
        assertTrue(retry(publisher, true).publishOrRetryLater());
        assertEquals(1, publisher.published);
        assertTrue(timer.isEmpty());
    }

    @Test
    void shouldAnswerTheExchangeWhenTheThreadIsStopping()
    {
        final RefusingPublisher publisher = new RefusingPublisher(1);
        assertFalse(retry(publisher, false).publishOrRetryLater());
        assertEquals(1, stopped);
        assertEquals(0, publisher.published);
    }

    @Test
    void shouldCapTheBackoff()
    {
        final RefusingPublisher publisher = new RefusingPublisher(20);
        retry(publisher, true).publishOrRetryLater();
        while (!timer.isEmpty())
        {
            timer.poll().run();
        }
        assertEquals(PublishRetry.MAX_BACKOFF_NS, delaysNs.get(delaysNs.size() - 1));
        assertEquals(1, publisher.published);
    }

    private PublishRetry retry(final RefusingPublisher publisher, final boolean timerRunning)
    {
        return new PublishRetry(publisher, message, (task, delayNs) ->
        {
            if (!timerRunning)
            {
                return false;
            }
            delaysNs.add(delayNs);
            timer.add(task);
            return true;
        }, () -> stopped++, () -> backPressured++);
    }

    private static final class RefusingPublisher extends IngestOnlyPublisher
    {
        private int refusals;
        int attempts;
        int published;

        RefusingPublisher(final int refusals)
        {
            this.refusals = refusals;
        }

        @Override
        public boolean publish(final InboundMessage message)
        {
            attempts++;
            if (refusals > 0)
            {
                refusals--;
                return false;
            }
            published++;
            return true;
        }
    }
}
