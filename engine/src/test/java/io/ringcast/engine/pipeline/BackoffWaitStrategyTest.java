package io.ringcast.engine.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffWaitStrategyTest
{
    /** Only checkAlert is used by the strategy. */
    private static final class Barrier implements SequenceBarrier
    {
        volatile boolean alerted;

        @Override
        public long waitFor(final long sequence)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCursor()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isAlerted()
        {
            return alerted;
        }

        @Override
        public void alert()
        {
            alerted = true;
        }

        @Override
        public void clearAlert()
        {
            alerted = false;
        }

        @Override
        public void checkAlert() throws AlertException
        {
            if (alerted)
            {
                throw AlertException.INSTANCE;
            }
        }
    }

    private final BackoffWaitStrategy strategy = new BackoffWaitStrategy();
    private final Sequence cursor = new Sequence();
    private final Sequence dependent = new Sequence();
    private final Barrier barrier = new Barrier();

    @Test
    void shouldReturnAtOnceWhatTheSequenceBeforeHasReached() throws Exception
    {
        dependent.set(41);
        assertEquals(41, strategy.waitFor(7, cursor, dependent, barrier));
    }

    @Test
    void shouldWakeWhenTheSequenceBeforeMovesWithoutBeingSignalled() throws Exception
    {
        final CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return strategy.waitFor(5, cursor, dependent, barrier);
            }
            catch (final AlertException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        dependent.set(3);
        assertFalse(waiting.isDone() && waiting.get() < 5, "never returns short of the sequence asked for");
        dependent.set(9);
        assertEquals(9L, waiting.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldStopWaitingWhenAlerted()
    {
        final CompletableFuture<Void> waiting = CompletableFuture.runAsync(() ->
        {
            try
            {
                strategy.waitFor(1, cursor, dependent, barrier);
            }
            catch (final AlertException ex)
            {
                throw new IllegalStateException("alerted", ex);
            }
        });
        barrier.alert();
        final Exception ex = assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertEquals("alerted", ex.getCause().getMessage());
    }
}
