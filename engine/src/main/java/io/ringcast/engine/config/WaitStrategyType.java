package io.ringcast.engine.config;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.ringcast.engine.pipeline.BackoffWaitStrategy;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** How the journal and fan-out threads wait for work ({@code --wait-strategy}). */
public enum WaitStrategyType
{
    /** {@link BackoffWaitStrategy}: spin, a few yields, then naps; producers never signal. */
    BACKOFF
    {
        @Override
        public WaitStrategy newWaitStrategy()
        {
            return new BackoffWaitStrategy();
        }
    },
    /** Disruptor's phased backoff: spin ~10 us, yield ~100 us, then a lite lock. */
    PHASED
    {
        @Override
        public WaitStrategy newWaitStrategy()
        {
            return PhasedBackoffWaitStrategy.withLiteLock(10, 100, TimeUnit.MICROSECONDS);
        }
    },
    LITE
    {
        @Override
        public WaitStrategy newWaitStrategy()
        {
            return new LiteBlockingWaitStrategy();
        }
    },
    BLOCKING
    {
        @Override
        public WaitStrategy newWaitStrategy()
        {
            return new BlockingWaitStrategy();
        }
    },
    YIELDING
    {
        @Override
        public WaitStrategy newWaitStrategy()
        {
            return new YieldingWaitStrategy();
        }
    };

    /** A new instance for one Disruptor. */
    public abstract WaitStrategy newWaitStrategy();

    /** The flag's spelling: lower case. */
    public String flagValue()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException listing the known strategies, for any other name.
     */
    public static WaitStrategyType parse(final String text)
    {
        final String name = text.trim().toLowerCase(Locale.ROOT);
        for (final WaitStrategyType type : values())
        {
            if (type.flagValue().equals(name))
            {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown wait strategy; one of " + names(values()));
    }

    static String names(final Enum<?>[] values)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Enum<?> value : values)
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(value.name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
