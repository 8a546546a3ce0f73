package io.ringcast.transport;

import io.ringcast.transport.codec.JsonValidator;
import io.ringcast.transport.codec.TargetName;
import io.ringcast.transport.codec.Utf8Validator;
import org.agrona.DirectBuffer;

/**
 * A flyweight over one message a publisher sent, ready to be copied into the ring. Reused by its producer thread;
 * the buffer it points to is only valid until the publish call returns.
 */
public final class InboundMessage
{
    /**
     * The message flags of the wire (the ingest frame's flags byte, see {@code IngestDescriptor}), defined here once
     * for the transport: the payload is JSON. The journal stores the byte as is ({@code JournalDescriptor} has the
     * same values; the journal and the transport do not depend on each other).
     */
    public static final byte FLAG_JSON = 0x01;
    /** The target is a group, not a topic. */
    public static final byte FLAG_GROUP = 0x02;
    public static final int KNOWN_FLAGS = FLAG_JSON | FLAG_GROUP;

    private int status;
    private byte flags;
    private DirectBuffer buffer;
    private int targetOffset;
    private int targetLength;
    private int payloadOffset;
    private int payloadLength;
    private PublishReplier replier;

    /**
     * Point at a message and decide its status, the lowest-numbered problem winning in the order of the contract:
     * bad target, payload too large, bad payload. A bad frame is decided by the caller before.
     */
    public InboundMessage wrap(
        final byte flags,
        final DirectBuffer buffer,
        final int targetOffset,
        final int targetLength,
        final int payloadOffset,
        final int payloadLength,
        final int maxPayloadBytes,
        final PublishReplier replier)
    {
        this.flags = flags;
        // The same buffer and replier every time for a connection's flyweight: skip the reference stores (and the
        // garbage collector's write barrier work) when they are unchanged.
        if (this.buffer != buffer)
        {
            this.buffer = buffer;
        }
        this.targetOffset = targetOffset;
        this.targetLength = targetLength;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        if (this.replier != replier)
        {
            this.replier = replier;
        }
        if (!TargetName.isValid(buffer, targetOffset, targetLength))
        {
            status = PublishStatus.BAD_TARGET;
        }
        else if (payloadLength > maxPayloadBytes)
        {
            status = PublishStatus.PAYLOAD_TOO_LARGE;
        }
        else if (!Utf8Validator.isValid(buffer, payloadOffset, payloadLength) ||
            (isJson() && !JsonValidator.isValid(buffer, payloadOffset, payloadLength)))
        {
            status = PublishStatus.BAD_PAYLOAD;
        }
        else
        {
            status = PublishStatus.OK;
        }
        return this;
    }

    /** A message refused before its content could be looked at. */
    public InboundMessage rejected(final int status, final PublishReplier replier)
    {
        this.status = status;
        this.flags = 0;
        this.buffer = null;
        this.targetLength = 0;
        this.payloadLength = 0;
        this.replier = replier;
        return this;
    }

    public int status()
    {
        return status;
    }

    public byte flags()
    {
        return flags;
    }

    public boolean isJson()
    {
        return (flags & FLAG_JSON) != 0;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int targetOffset()
    {
        return targetOffset;
    }

    public int targetLength()
    {
        return targetLength;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    public PublishReplier replier()
    {
        return replier;
    }
}
