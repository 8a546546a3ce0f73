package io.ringcast.engine.testing;

import io.ringcast.transport.ReplayStream;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/** A replay stream that keeps a copy of every frame offered, up to a number of frames. Test thread only. */
public final class FakeReplayStream implements ReplayStream
{
    public final List<byte[]> frames = new ArrayList<>();
    public int maxFrames = Integer.MAX_VALUE;
    public boolean completed;
    public boolean cancelled;

    @Override
    public boolean offer(final DirectBuffer frame, final int offset, final int length)
    {
        if (frames.size() >= maxFrames)
        {
            return false;
        }
        final byte[] copy = new byte[length];
        frame.getBytes(offset, copy);
        frames.add(copy);
        return true;
    }

    @Override
    public int capacity()
    {
        return 256 * 1024;
    }

    @Override
    public long queuedBytes()
    {
        long bytes = 0;
        for (final byte[] frame : frames)
        {
            bytes += frame.length;
        }
        return bytes;
    }

    @Override
    public void complete()
    {
        completed = true;
    }

    @Override
    public boolean isCancelled()
    {
        return cancelled;
    }
}
