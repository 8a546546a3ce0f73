package io.ringcast.transport.buffer;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A client's bounded queue of pre-framed bytes: a single-producer, single-consumer byte ring.
 * <p>
 * The producer (the fan-out thread) appends whole frames with {@link #offer}; the consumer (the client's I/O
 * thread) writes everything published so far to the socket with {@link #writeTo}, as many frames per system
 * call as are queued. Positions only grow; {@code position & mask} is the index. The producer's position is only
 * ever published at a frame boundary.
 * <p>
 * Buffers up to {@link #MAX_HEAP_CAPACITY_BYTES} live on the heap: a client's first, small buffer costs no native
 * memory and goes back to the GC like any object when dropped (the JDK copies it to its per-thread direct buffer to
 * write it). Bigger ones are direct, written without a copy.
 */
public final class OutboundBuffer
{
    private static final VarHandle PRODUCER_POSITION;
    private static final VarHandle CONSUMER_POSITION;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_POSITION = lookup.findVarHandle(OutboundBuffer.class, "producerPosition", long.class);
            CONSUMER_POSITION = lookup.findVarHandle(OutboundBuffer.class, "consumerPosition", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Largest capacity allocated on the heap rather than off-heap. */
    public static final int MAX_HEAP_CAPACITY_BYTES = 1024;

    private final int capacity;
    private final int mask;
    private final UnsafeBuffer buffer;
    /** The whole buffer as a NIO view, for writing (consumer only: its position and limit move). */
    private final ByteBuffer view;
    /** {@link #view} and a second view, for writing across the wrap point; created on the first wrap. */
    private ByteBuffer[] wrappedViews;

    // written by the producer only
    private long producerPosition;
    private long cachedConsumerPosition;
    // written by the consumer only
    private long consumerPosition;

    /**
     * The buffer that follows this one in a client's live stream, set by the producer once it has published its last
     * frame here (the buffer grew): the consumer moves on to it when this one is drained.
     */
    volatile OutboundBuffer next;

    /** @param capacityBytes rounded up to a power of two. */
    public OutboundBuffer(final int capacityBytes)
    {
        this(capacityBytes, 0);
    }

    /**
     * @param capacityBytes rounded up to a power of two.
     * @param startPosition where positions start: the end position of the buffer this one follows.
     */
    public OutboundBuffer(final int capacityBytes, final long startPosition)
    {
        this(allocate(BitUtil.findNextPositivePowerOfTwo(capacityBytes)), startPosition);
    }

    /**
     * A buffer like {@link #OutboundBuffer(int, long)}, or null when its off-heap memory is refused (the JVM's direct
     * memory limit; see {@link DirectMemory}).
     */
    public static OutboundBuffer tryCreate(final int capacityBytes, final long startPosition)
    {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(capacityBytes);
        final ByteBuffer view = capacity <= MAX_HEAP_CAPACITY_BYTES ?
            ByteBuffer.allocate(capacity) : DirectMemory.tryAllocate(capacity);
        return view == null ? null : new OutboundBuffer(view, startPosition);
    }

    private static ByteBuffer allocate(final int capacity)
    {
        return capacity <= MAX_HEAP_CAPACITY_BYTES ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
    }

    private OutboundBuffer(final ByteBuffer view, final long startPosition)
    {
        this.capacity = view.capacity();
        this.mask = capacity - 1;
        // UnsafeBuffer reads and writes by absolute index, so the view's position and limit are free to move.
        this.view = view;
        this.buffer = new UnsafeBuffer(view);
        this.producerPosition = startPosition;
        this.cachedConsumerPosition = startPosition;
        this.consumerPosition = startPosition;
        this.frameScanPosition = startPosition;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * Producer: append one whole frame.
     *
     * @return false, and nothing appended, when the frame does not fit in the free space.
     */
    public boolean offer(final DirectBuffer src, final int offset, final int length)
    {
        final long position = producerPosition;
        if (capacity - (position - cachedConsumerPosition) < length)
        {
            cachedConsumerPosition = (long)CONSUMER_POSITION.getAcquire(this);
            if (capacity - (position - cachedConsumerPosition) < length)
            {
                return false;
            }
        }
        final int index = (int)(position & mask);
        final int firstPart = Math.min(length, capacity - index);
        buffer.putBytes(index, src, offset, firstPart);
        if (firstPart < length)
        {
            buffer.putBytes(0, src, offset + firstPart, length - firstPart);
        }
        PRODUCER_POSITION.setRelease(this, position + length);
        return true;
    }

    /** Producer: the position after the last frame offered. */
    public long producerPosition()
    {
        return producerPosition;
    }

    /** Bytes queued and not yet written (approximate from any thread other than the two owners). */
    public long queuedBytes()
    {
        return (long)PRODUCER_POSITION.getAcquire(this) - (long)CONSUMER_POSITION.getAcquire(this);
    }

    /** Consumer: the producer's published position, always at a frame boundary. */
    public long publishedPosition()
    {
        return (long)PRODUCER_POSITION.getAcquire(this);
    }

    /** Consumer only: how far a scanner of written frames (ack mode) has looked; starts at the start position. */
    private long frameScanPosition;

    /** Consumer: how far a scanner of written frames has looked (see {@link #frameScanPosition(long)}). */
    public long frameScanPosition()
    {
        return frameScanPosition;
    }

    /** Consumer: record how far a scanner of written frames (the ack writer) has looked. */
    public void frameScanPosition(final long position)
    {
        frameScanPosition = position;
    }

    /** Consumer: the byte at an absolute position not yet overwritten (between consumer - capacity and producer). */
    public byte byteAt(final long position)
    {
        return buffer.getByte((int)(position & mask));
    }

    /** Consumer: copy {@code length} bytes from an absolute position into {@code dst} at 0. */
    public void copyTo(final long position, final int length, final org.agrona.MutableDirectBuffer dst)
    {
        final int index = (int)(position & mask);
        final int firstPart = Math.min(length, capacity - index);
        dst.putBytes(0, buffer, index, firstPart);
        if (firstPart < length)
        {
            dst.putBytes(firstPart, buffer, 0, length - firstPart);
        }
    }

    /** Consumer: how far the socket has taken the bytes. */
    public long consumerPosition()
    {
        return consumerPosition;
    }

    /**
     * Consumer: write bytes from the consumer position up to {@code limit} (a position returned by
     * {@link #publishedPosition()}) with one gathering write.
     *
     * @return bytes written, possibly 0 when the socket is full.
     */
    public long writeTo(final GatheringByteChannel channel, final long limit) throws IOException
    {
        final long position = consumerPosition;
        final long remaining = limit - position;
        if (remaining <= 0)
        {
            return 0;
        }
        final int index = (int)(position & mask);
        final int firstPart = (int)Math.min(remaining, capacity - index);
        view.limit(index + firstPart).position(index);
        final long written;
        if (firstPart < remaining)
        {
            ByteBuffer[] views = wrappedViews;
            if (views == null)
            {
                views = new ByteBuffer[]{view, view.duplicate()};
                wrappedViews = views;
            }
            views[1].limit((int)(remaining - firstPart)).position(0);
            written = channel.write(views, 0, 2);
        }
        else
        {
            written = channel.write(view);
        }
        if (written > 0)
        {
            CONSUMER_POSITION.setRelease(this, position + written);
        }
        return written;
    }
}
