package io.ringcast.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A channel that takes every byte and keeps none: moves each buffer's position to its limit. Lets a benchmark drain
 * {@code OutboundBuffer}s without a socket. Allocation-free; not thread-safe (no state).
 */
final class NullGatheringChannel implements GatheringByteChannel
{
    @Override
    public int write(final ByteBuffer src)
    {
        final int length = src.remaining();
        src.position(src.limit());
        return length;
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length)
    {
        long written = 0;
        for (int i = offset; i < offset + length; i++)
        {
            written += write(srcs[i]);
        }
        return written;
    }

    @Override
    public long write(final ByteBuffer[] srcs)
    {
        return write(srcs, 0, srcs.length);
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
