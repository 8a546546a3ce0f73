package io.ringcast.bench.ws;

/**
 * A flyweight over the header of a frame a server sent (RFC 6455 5.2), read in place from a byte array: FIN, RSV
 * bits, opcode, the mask bit and the 7, 16 or 64-bit payload length. Reused for every frame; one owner thread.
 */
public final class ServerFrameHeader
{
    private boolean fin;
    private int opcode;
    private int rsv;
    private boolean masked;
    private long payloadLength;
    private int headerLength;

    /**
     * Decode the header at {@code bytes[offset, offset+available)}.
     *
     * @return true when the whole header is there (then the accessors describe it), false when more bytes are needed.
     */
    public boolean decode(final byte[] bytes, final int offset, final int available)
    {
        if (available < 2)
        {
            return false;
        }
        final int b0 = bytes[offset] & 0xFF;
        final int b1 = bytes[offset + 1] & 0xFF;
        final int length7 = b1 & 0x7F;
        masked = (b1 & 0x80) != 0;
        int header = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
        header += masked ? 4 : 0;
        if (available < header)
        {
            return false;
        }
        long length = length7;
        if (length7 == 126)
        {
            length = ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
        }
        else if (length7 == 127)
        {
            length = 0;
            for (int i = 2; i < 10; i++)
            {
                length = (length << 8) | (bytes[offset + i] & 0xFF);
            }
        }
        fin = (b0 & 0x80) != 0;
        rsv = (b0 >>> 4) & 0x7;
        opcode = b0 & 0x0F;
        payloadLength = length;
        headerLength = header;
        return true;
    }

    public boolean fin()
    {
        return fin;
    }

    public int opcode()
    {
        return opcode;
    }

    /** The three RSV bits (RSV1 is the highest); 0 without extensions. */
    public int rsv()
    {
        return rsv;
    }

    /** A server must not mask its frames. */
    public boolean masked()
    {
        return masked;
    }

    /** The payload's length; negative when the 64-bit length has its top bit set (invalid). */
    public long payloadLength()
    {
        return payloadLength;
    }

    /** Bytes of header, mask included. */
    public int headerLength()
    {
        return headerLength;
    }

    /** Header plus payload, when the payload length fits an int; else -1. */
    public int frameLength()
    {
        return payloadLength < 0 || payloadLength > Integer.MAX_VALUE - headerLength ? -1 :
            headerLength + (int)payloadLength;
    }
}
