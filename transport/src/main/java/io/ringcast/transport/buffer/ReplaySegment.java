package io.ringcast.transport.buffer;

import io.ringcast.transport.ReplayStream;

/**
 * Frames a replay thread produces for one client, to be sent at a fixed point of the client's live stream.
 * <p>
 * The fan-out thread creates a segment at live position {@code P} (see {@code Subscriber#beginReplay}): the
 * client's I/O thread writes the live buffer up to {@code P}, then everything the replay thread puts in the
 * segment until it marks it {@link #complete()}, then the live buffer from {@code P} on. Live frames keep flowing
 * into the live buffer meanwhile, so the hand-over from replay to live has no gap and no duplicate by construction.
 */
public final class ReplaySegment implements ReplayStream
{
    private final long livePosition;
    private final OutboundBuffer buffer;
    private volatile boolean complete;
    private volatile boolean cancelled;

    /** @param buffer new and empty, its positions starting at 0. */
    public ReplaySegment(final long livePosition, final OutboundBuffer buffer)
    {
        this.livePosition = livePosition;
        this.buffer = buffer;
    }

    public long livePosition()
    {
        return livePosition;
    }

    public OutboundBuffer buffer()
    {
        return buffer;
    }

    /**
     * Replay producer: queue one whole frame.
     *
     * @return false when the segment is full (try again after the client has read some) .
     */
    @Override
    public boolean offer(final org.agrona.DirectBuffer frame, final int offset, final int length)
    {
        return buffer.offer(frame, offset, length);
    }

    @Override
    public int capacity()
    {
        return buffer.capacity();
    }

    /** Bytes queued and not yet written. */
    @Override
    public long queuedBytes()
    {
        return buffer.queuedBytes();
    }

    /**
     * Replay producer: everything it was asked to send is in the segment. A producer that stops early (the client
     * is closing) must not call this: the client's stream then ends with the segment, so nothing after it can
     * follow a gap.
     */
    @Override
    public void complete()
    {
        complete = true;
    }

    public boolean isComplete()
    {
        return complete;
    }

    /** The client is gone or closing: the replay producer should stop. */
    @Override
    public boolean isCancelled()
    {
        return cancelled;
    }

    public void cancel()
    {
        cancelled = true;
    }
}
