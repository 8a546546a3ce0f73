package io.ringcast.engine.testing;

import io.ringcast.transport.ReplayStream;
import io.ringcast.transport.Subscriber;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client without a socket: keeps a copy of every live frame, takes at most {@link #maxFrames} of them, and records
 * flushes, replay streams and the close request. Test thread only.
 */
public final class FakeSubscriber implements Subscriber
{
    public final long sessionId;
    public final List<byte[]> frames = new ArrayList<>();
    public final List<FakeReplayStream> replays = new ArrayList<>();
    public int maxFrames = Integer.MAX_VALUE;
    public boolean noReplayMemory;
    public boolean lagging;
    public boolean dirty;
    public int flushes;
    public int requestedFlushes;
    public int closeCode;
    public String closeReason;
    public boolean closed;

    public FakeSubscriber(final long sessionId)
    {
        this.sessionId = sessionId;
    }

    /** The text of live frame {@code index}, skipping the 2-byte header of a short unmasked text frame. */
    public String text(final int index)
    {
        final byte[] frame = frames.get(index);
        final int headerLength = (frame[1] & 0x7F) == 126 ? 4 : (frame[1] & 0x7F) == 127 ? 10 : 2;
        return new String(frame, headerLength, frame.length - headerLength, StandardCharsets.UTF_8);
    }

    @Override
    public long sessionId()
    {
        return sessionId;
    }

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
    public ReplayStream beginReplay()
    {
        if (noReplayMemory)
        {
            return null;
        }
        final FakeReplayStream stream = new FakeReplayStream();
        replays.add(stream);
        return stream;
    }

    @Override
    public boolean isLagging()
    {
        return lagging;
    }

    @Override
    public void lagging(final boolean lagging)
    {
        this.lagging = lagging;
    }

    @Override
    public boolean markDirty()
    {
        if (dirty)
        {
            return false;
        }
        dirty = true;
        return true;
    }

    @Override
    public void flushMarked()
    {
        dirty = false;
        flushes++;
    }

    @Override
    public void requestFlush()
    {
        requestedFlushes++;
    }

    @Override
    public long liveQueuedBytes()
    {
        return 0;
    }

    @Override
    public long queuedBytes()
    {
        return 0;
    }

    @Override
    public void close(final int code, final String reason)
    {
        if (closeCode == 0)
        {
            closeCode = code;
            closeReason = reason;
        }
    }

    @Override
    public boolean isCloseRequested()
    {
        return closeCode != 0;
    }

    @Override
    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public String toString()
    {
        return "FakeSubscriber#" + sessionId;
    }
}
