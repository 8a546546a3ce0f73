package io.ringcast.engine.fanout;

import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.transport.Subscriber;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * The fan-out thread's batch: the clients given frames since the last flush, flushed once each at the end of the
 * batch, and the batch's counts, added to the counters then (one ordered store per counter per batch).
 */
final class FanoutBatch
{
    private final EngineCounters counters;
    private Subscriber[] dirty = new Subscriber[256];
    private int dirtyCount;
    private long encoded;
    private long queued;

    FanoutBatch(final EngineCounters counters)
    {
        this.counters = counters;
    }

    /**
     * Queue one frame for {@code session} and remember to flush it.
     *
     * @return false when its buffer cannot take the frame (nothing queued).
     */
    boolean offer(final Subscriber session, final DirectBuffer frame, final int offset, final int length)
    {
        if (!session.offer(frame, offset, length))
        {
            return false;
        }
        queued++;
        markDirty(session);
        return true;
    }

    /** Flush this session's bytes at the end of the batch. */
    void markDirty(final Subscriber session)
    {
        if (session.markDirty())
        {
            if (dirtyCount == dirty.length)
            {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = session;
        }
    }

    /** One message frame encoded. */
    void encoded()
    {
        encoded++;
    }

    /** Frames queued since the last {@link #end()}. */
    long queued()
    {
        return queued;
    }

    /** Flush every client marked dirty and publish the batch's counts. */
    void end()
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            dirty[i].flushMarked();
            dirty[i] = null;
        }
        dirtyCount = 0;
        if (encoded > 0)
        {
            counters.framesEncoded.getAndAddRelease(encoded);
            encoded = 0;
        }
        if (queued > 0)
        {
            counters.framesQueued.getAndAddRelease(queued);
            queued = 0;
        }
    }
}
