package io.ringcast.journal;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable copy of one journal entry, filled by {@link JournalReader#read(JournalEntry)}.
 * Owned by the reading thread; arrays grow to the largest entry seen.
 */
public final class JournalEntry
{
    private long id;
    private byte flags;
    private final UnsafeBuffer target = new UnsafeBuffer(new byte[256]);
    private int targetLength;
    private UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
    private int payloadLength;

    public long id()
    {
        return id;
    }

    public byte flags()
    {
        return flags;
    }

    public boolean isGroup()
    {
        return (flags & JournalDescriptor.FLAG_GROUP) != 0;
    }

    public boolean isJson()
    {
        return (flags & JournalDescriptor.FLAG_JSON) != 0;
    }

    public UnsafeBuffer target()
    {
        return target;
    }

    public int targetLength()
    {
        return targetLength;
    }

    public String targetAsString()
    {
        return target.getStringWithoutLengthAscii(0, targetLength);
    }

    public UnsafeBuffer payload()
    {
        return payload;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    public byte[] payloadBytes()
    {
        final byte[] copy = new byte[payloadLength];
        payload.getBytes(0, copy);
        return copy;
    }

    void header(final long id, final byte flags, final int targetLength, final int payloadLength)
    {
        this.id = id;
        this.flags = flags;
        this.targetLength = targetLength;
        this.payloadLength = payloadLength;
        if (payload.capacity() < payloadLength)
        {
            payload = new UnsafeBuffer(new byte[Math.max(payloadLength, payload.capacity() * 2)]);
        }
    }

    MutableDirectBuffer payloadForWrite()
    {
        return payload;
    }
}
