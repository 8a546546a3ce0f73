package io.ringcast.engine.replay;

import io.ringcast.transport.buffer.DirectMemory;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The messages the replay thread has recently read from the journal, by id, with their encoded frames: clients
 * served the same stretch of history (typically many clients that fell behind the same burst) then cost one journal
 * read and one encode per message between them instead of one each, and the rest is a copy.
 * <p>
 * Direct-mapped on the id ({@code slot = id & mask}): a newer id evicts an older one, and a miss costs what a read
 * cost before. Each slot holds the message's target, so a client that does not receive it skips it without a read,
 * and its frame when the frame fits (a message whose frame does not fit is re-read and re-encoded per client).
 * Off-heap, allocated on first use (a node that never replays pays nothing). Owned by the replay thread.
 * <p>
 * Slot layout: {@code id (8) | frame length (4; -1 = target only) | target length (2) | flags (1) | pad (1) |
 * target | frame}. Ids start at 1, so a zeroed slot holds no id.
 */
final class FrameCache
{
    static final int SLOT_BYTES = 512;
    private static final int ID_OFFSET = 0;
    private static final int FRAME_LENGTH_OFFSET = 8;
    private static final int TARGET_LENGTH_OFFSET = 12;
    private static final int FLAGS_OFFSET = 14;
    private static final int TARGET_OFFSET = 16;
    private static final int NO_FRAME = -1;

    private final int slotCount;
    private static final long RETRY_ALLOCATION_NS = TimeUnit.SECONDS.toNanos(10);

    private UnsafeBuffer slots;
    private long retryAllocationAtNs = System.nanoTime();

    /** @param slotCount a power of two. */
    FrameCache(final int slotCount)
    {
        if (Integer.bitCount(slotCount) != 1)
        {
            throw new IllegalArgumentException("slot count must be a power of two: " + slotCount);
        }
        this.slotCount = slotCount;
    }

    /** @return the slot holding {@code id}, or -1. */
    int find(final long id)
    {
        if (slots == null)
        {
            return -1;
        }
        final int slot = slot(id);
        return slots.getLong(slot + ID_OFFSET) == id ? slot : -1;
    }

    /**
     * Remember message {@code id}: its journal flags and target and, when {@code frameLength >= 0} and it fits, its
     * encoded frame.
     *
     * @return the slot, or -1 when not even the target fits (not cached).
     */
    int put(
        final long id,
        final byte flags,
        final DirectBuffer target,
        final int targetLength,
        final DirectBuffer frame,
        final int frameOffset,
        final int frameLength)
    {
        if (TARGET_OFFSET + targetLength > SLOT_BYTES)
        {
            return -1;
        }
        if (slots == null)
        {
            if (System.nanoTime() - retryAllocationAtNs < 0)
            {
                return -1;
            }
            final ByteBuffer memory = DirectMemory.tryAllocate(slotCount * SLOT_BYTES);
            if (memory == null)
            {
                // Refused at the direct memory limit: replay reads the journal for every client, uncached, and
                // asks again in a while (each refusal costs the JDK a full collection).
                retryAllocationAtNs = System.nanoTime() + RETRY_ALLOCATION_NS;
                return -1;
            }
            slots = new UnsafeBuffer(memory);
        }
        final int slot = slot(id);
        final UnsafeBuffer b = slots;
        final boolean frameFits = frameLength >= 0 && TARGET_OFFSET + targetLength + frameLength <= SLOT_BYTES;
        b.putLong(slot + ID_OFFSET, id);
        b.putInt(slot + FRAME_LENGTH_OFFSET, frameFits ? frameLength : NO_FRAME);
        b.putShort(slot + TARGET_LENGTH_OFFSET, (short)targetLength);
        b.putByte(slot + FLAGS_OFFSET, flags);
        b.putBytes(slot + TARGET_OFFSET, target, 0, targetLength);
        if (frameFits)
        {
            b.putBytes(slot + TARGET_OFFSET + targetLength, frame, frameOffset, frameLength);
        }
        return slot;
    }

    UnsafeBuffer buffer()
    {
        return slots;
    }

    byte flags(final int slot)
    {
        return slots.getByte(slot + FLAGS_OFFSET);
    }

    int targetLength(final int slot)
    {
        return slots.getShort(slot + TARGET_LENGTH_OFFSET);
    }

    int targetOffset(final int slot)
    {
        return slot + TARGET_OFFSET;
    }

    /** @return the cached frame's length, or -1 when only the target is cached. */
    int frameLength(final int slot)
    {
        return slots.getInt(slot + FRAME_LENGTH_OFFSET);
    }

    int frameOffset(final int slot)
    {
        return slot + TARGET_OFFSET + targetLength(slot);
    }

    private int slot(final long id)
    {
        return (int)(id & (slotCount - 1)) * SLOT_BYTES;
    }
}
