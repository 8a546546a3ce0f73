package io.ringcast.transport.buffer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A channel standing in for a socket: takes at most {@code maxBytesPerCall} bytes per write (unlimited by default)
 * and records them, counting the calls.
 */
public class LimitedChannel implements GatheringByteChannel
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    public int maxBytesPerCall;
    public int calls;
    public int gatheringCalls;

    public LimitedChannel()
    {
        this(Integer.MAX_VALUE);
    }

    public LimitedChannel(final int maxBytesPerCall)
    {
        this.maxBytesPerCall = maxBytesPerCall;
    }

    public byte[] written()
    {
        return out.toByteArray();
    }

    public void reset()
    {
        out.reset();
        calls = 0;
        gatheringCalls = 0;
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length)
    {
        calls++;
        gatheringCalls++;
        long budget = maxBytesPerCall;
        long total = 0;
        for (int i = offset; i < offset + length && budget > 0; i++)
        {
            final int n = take(srcs[i], (int)Math.min(budget, Integer.MAX_VALUE));
            budget -= n;
            total += n;
        }
        return total;
    }

    @Override
    public long write(final ByteBuffer[] srcs)
    {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(final ByteBuffer src)
    {
        calls++;
        return take(src, maxBytesPerCall);
    }

    /** Consume up to {@code budget} bytes of {@code src}; returns how many. Subclasses may look at them too. */
    protected int take(final ByteBuffer src, final int budget)
    {
        final int n = Math.min(budget, src.remaining());
        for (int i = 0; i < n; i++)
        {
            out.write(src.get());
        }
        return n;
    }

    @Override
    public boolean isOpen()
    {
        return true;
    }

    @Override
    public void close()
    {
    }
}
