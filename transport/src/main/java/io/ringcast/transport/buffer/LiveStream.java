package io.ringcast.transport.buffer;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A client's live outbound bytes: a chain of {@link OutboundBuffer}s with one producer (the fan-out thread) and one
 * consumer (the client's I/O thread). Positions run on across the chain: a buffer starts where the one before ended.
 * <p>
 * Memory follows use. The first buffer is created by the first frame, {@link #INITIAL_CAPACITY_BYTES}; when a frame
 * does not fit, a buffer four times bigger (up to the session's capacity) is chained behind and the consumer moves
 * on to it once it has drained the one before. When the client has been idle for a while, the consumer may
 * {@link #release()} the whole chain; the next frame starts a new small buffer at the same position.
 * <p>
 * Release is safe because the producer announces itself: the first producer call of a batch ({@link #offer},
 * {@link #producerPosition}) marks the stream as being written with one atomic exchange, and {@link #endBatch()}
 * clears the mark with an ordered store. The consumer releases only by moving the state from idle to releasing with
 * a CAS, so it never drops a buffer the producer is writing or has written without it being sent. The producer
 * sees a release on its next entry and starts afresh.
 */
public final class LiveStream
{
    /** Size of the first buffer: a subscribe reply and a few small messages. */
    public static final int INITIAL_CAPACITY_BYTES = 256;

    private static final int IDLE = 0;
    private static final int PRODUCING = 1;
    private static final int RELEASING = 2;
    private static final int RELEASED = 3;

    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(LiveStream.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int maxCapacityBytes;
    private volatile int state;

    /** Oldest buffer not yet drained: set by the producer when the chain starts, then moved on by the consumer. */
    private volatile OutboundBuffer head;

    // Producer only, except that the consumer clears tail while it holds RELEASING.
    private OutboundBuffer tail;
    private boolean inBatch;

    /** End of the released chain, where the next buffer starts: written by the consumer while it holds RELEASING. */
    private long releasedPosition;

    /** @param maxCapacityBytes what the live buffers may hold together (a larger single frame still fits alone). */
    public LiveStream(final int maxCapacityBytes)
    {
        this.maxCapacityBytes = maxCapacityBytes;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Producer
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Producer: append one whole frame to the current buffer.
     *
     * @return false, and nothing appended, when it does not fit: {@link #grow} then try again.
     */
    public boolean offer(final DirectBuffer frame, final int offset, final int length)
    {
        enterBatch();
        OutboundBuffer buffer = tail;
        if (buffer == null)
        {
            buffer = new OutboundBuffer(Math.min(INITIAL_CAPACITY_BYTES, maxCapacityBytes), releasedPosition);
            tail = buffer;
            head = buffer;
        }
        return buffer.offer(frame, offset, length);
    }

    /**
     * Producer, after {@link #offer} returned false: chain a buffer four times bigger (up to the capacity) behind the
     * current one, or one the size of the frame if it is larger than the capacity.
     *
     * @param queuedBytes what the client has queued and not yet written, live and replay.
     * @return false when the client already has its capacity queued (it is too slow), or when the JVM refuses the
     * off-heap memory for a bigger buffer.
     */
    public boolean grow(final int frameLength, final long queuedBytes)
    {
        if (queuedBytes + frameLength > maxCapacityBytes && queuedBytes > 0)
        {
            return false;
        }
        final OutboundBuffer current = tail;
        final int capacity = Math.max(
            Math.min(maxCapacityBytes, current.capacity() * 4), BitUtil.findNextPositivePowerOfTwo(frameLength));
        final OutboundBuffer bigger = OutboundBuffer.tryCreate(capacity, current.producerPosition());
        if (bigger == null)
        {
            return false;  // direct memory limit reached: as if too slow, the client is served from the journal
        }
        tail = bigger;
        current.next = bigger;
        return true;
    }

    /** Producer: the position after the last frame offered, without creating a buffer. */
    public long producerPosition()
    {
        enterBatch();
        final OutboundBuffer buffer = tail;
        return buffer == null ? releasedPosition : buffer.producerPosition();
    }

    /** Producer: the end of a batch in which this stream was written or its position read. */
    public void endBatch()
    {
        if (inBatch)
        {
            inBatch = false;
            STATE.setRelease(this, IDLE);
        }
    }

    private void enterBatch()
    {
        if (!inBatch)
        {
            inBatch = true;
            int current;
            while (true)
            {
                current = (int)STATE.getAcquire(this);
                if (current == RELEASING)
                {
                    // The consumer is between its CAS and its ordered store, a few instructions: wait them out.
                    Thread.onSpinWait();
                }
                else if (STATE.compareAndSet(this, current, PRODUCING))
                {
                    break;
                }
            }
            // After RELEASED, tail was cleared and releasedPosition set by the consumer, seen through the CAS.
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Consumer
    // ---------------------------------------------------------------------------------------------------------------

    /** Consumer: the buffer to write from, past buffers drained and followed by another; null when there is none. */
    public OutboundBuffer head()
    {
        OutboundBuffer buffer = head;
        while (buffer != null)
        {
            final OutboundBuffer next = buffer.next;
            if (next == null || buffer.consumerPosition() < buffer.publishedPosition())
            {
                break;
            }
            buffer = next;
            head = next;
        }
        return buffer;
    }

    /** Consumer: the end of everything published so far. */
    public long publishedPosition()
    {
        OutboundBuffer buffer = head;
        if (buffer == null)
        {
            return releasedPosition;
        }
        while (buffer.next != null)
        {
            buffer = buffer.next;
        }
        return buffer.publishedPosition();
    }

    /**
     * Consumer: drop every buffer if all that was published has been written and the producer is not writing.
     * The stream keeps its position; the next frame starts a new {@link #INITIAL_CAPACITY_BYTES} buffer.
     *
     * @return true when buffers were dropped: the caller must drop its own references to them.
     */
    public boolean release()
    {
        if (head == null || !STATE.compareAndSet(this, IDLE, RELEASING))
        {
            return false;
        }
        // Holding RELEASING: the producer is out and waits to come in; everything it published is visible.
        final OutboundBuffer buffer = head();
        final boolean drained = buffer.next == null && buffer.consumerPosition() == buffer.publishedPosition();
        if (drained)
        {
            releasedPosition = buffer.publishedPosition();
            tail = null;
            head = null;
        }
        STATE.setRelease(this, drained ? RELEASED : IDLE);
        return drained;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Any thread
    // ---------------------------------------------------------------------------------------------------------------

    /** Whether buffers are held (approximate from threads other than the consumer). */
    public boolean hasBuffers()
    {
        return head != null;
    }

    /** Bytes published and not yet written (approximate from threads other than the two owners). */
    public long queuedBytes()
    {
        long queued = 0;
        for (OutboundBuffer buffer = head; buffer != null; buffer = buffer.next)
        {
            queued += buffer.queuedBytes();
        }
        return queued;
    }
}
