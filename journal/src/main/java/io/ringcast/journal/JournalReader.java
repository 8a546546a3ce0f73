package io.ringcast.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads journal entries in id order with its own Chronicle tailer. Owned by one thread.
 * <p>
 * Seeking to an id does not scan the journal: within one roll cycle both the Chronicle sequence and the dense id
 * go up by one per entry, so the position of id {@code n} is {@code firstIndex(cycle) + (n - firstId(cycle))} once
 * the cycle that holds {@code n} is known; cycles are searched by reading only their first entry.
 */
public final class JournalReader implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final ExcerptTailer tailer;

    JournalReader(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.tailer = queue.createTailer();
    }

    /**
     * Position the reader so that the next {@link #read} returns the first entry with an id greater than
     * {@code afterId}, or nothing if there is none yet (later appends are then read in order).
     */
    public void seekAfter(final long afterId)
    {
        final long wantedId = afterId + 1;
        tailer.direction(TailerDirection.FORWARD).toStart();
        int cycle = queue.firstCycle();
        final int lastCycle = queue.lastCycle();
        if (cycle == Integer.MAX_VALUE || lastCycle == Integer.MIN_VALUE)
        {
            return;
        }

        int bestCycle = -1;
        long bestFirstId = -1;
        while (cycle != -1 && cycle <= lastCycle)
        {
            final long firstId = firstIdOfCycle(cycle);
            if (firstId > 0)
            {
                if (firstId > wantedId)
                {
                    break;
                }
                bestCycle = cycle;
                bestFirstId = firstId;
            }
            final int next = nextCycle(cycle);
            if (next == cycle)
            {
                break;
            }
            cycle = next;
        }

        if (bestCycle < 0)
        {
            tailer.toStart();
            return;
        }

        final long index = rollCycle.toIndex(bestCycle, wantedId - bestFirstId);
        if (!tailer.moveToIndex(index))
        {
            // wantedId lies past the end of that cycle: it is either in the next cycle or not written yet.
            tailer.moveToIndex(rollCycle.toIndex(bestCycle, 0));
        }
        skipUntil(wantedId);
    }

    /**
     * Read the next entry into {@code entry}.
     *
     * @return false when no further entry has been written yet.
     */
    public boolean read(final JournalEntry entry)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            readInto(dc.wire().bytes(), entry);
            return true;
        }
    }

    @Override
    public void close()
    {
        tailer.close();
    }

    private void skipUntil(final long wantedId)
    {
        while (true)
        {
            final long index = tailer.index();
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return;
                }
                final long id = dc.wire().bytes().readLong();
                if (id >= wantedId)
                {
                    dc.rollbackOnClose();
                    return;
                }
            }
            if (tailer.index() == index)
            {
                return;
            }
        }
    }

    private int nextCycle(final int cycle)
    {
        try
        {
            return queue.nextCycle(cycle, TailerDirection.FORWARD);
        }
        catch (final java.text.ParseException ex)
        {
            return -1;
        }
    }

    private long firstIdOfCycle(final int cycle)
    {
        if (!tailer.moveToIndex(rollCycle.toIndex(cycle, 0)))
        {
            return -1;
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            return dc.isPresent() ? dc.wire().bytes().readLong() : -1;
        }
    }

    private static void readInto(final Bytes<?> bytes, final JournalEntry entry)
    {
        final long id = bytes.readLong();
        final byte flags = bytes.readByte();
        final int targetLength = bytes.readUnsignedShort();
        final byte[] targetArray = entry.target().byteArray();
        bytes.read(targetArray, 0, targetLength);
        final int payloadLength = bytes.readInt();
        entry.header(id, flags, targetLength, payloadLength);
        bytes.read(entry.payload().byteArray(), 0, payloadLength);
    }
}
