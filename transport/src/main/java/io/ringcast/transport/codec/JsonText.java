package io.ringcast.transport.codec;

import org.agrona.MutableDirectBuffer;

/**
 * Writes UTF-8 text as the body of a JSON string (without the quotes), escaping only what JSON requires.
 * Input must already be valid UTF-8; multi-byte sequences are copied unchanged. Allocation free.
 */
public final class JsonText
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private JsonText()
    {
    }

    /** The number of bytes {@link #escape} will write for these bytes. */
    public static int escapedLength(final byte[] src, final int offset, final int lengthBytes)
    {
        int length = 0;
        for (int i = offset, end = offset + lengthBytes; i < end; i++)
        {
            length += escapedLength(src[i]);
        }
        return length;
    }

    /**
     * @return the index in {@code dst} just after the last byte written. {@code dst} must have room for
     * {@link #escapedLength} bytes.
     */
    public static int escape(
        final byte[] src, final int offset, final int lengthBytes, final MutableDirectBuffer dst, final int dstIndex)
    {
        int d = dstIndex;
        for (int i = offset, end = offset + lengthBytes; i < end; i++)
        {
            final byte b = src[i];
            if (b >= 0x20 && b != '"' && b != '\\' || b < 0)
            {
                dst.putByte(d++, b);
                continue;
            }
            dst.putByte(d++, (byte)'\\');
            switch (b)
            {
                case '"': dst.putByte(d++, (byte)'"'); break;
                case '\\': dst.putByte(d++, (byte)'\\'); break;
                case '\n': dst.putByte(d++, (byte)'n'); break;
                case '\r': dst.putByte(d++, (byte)'r'); break;
                case '\t': dst.putByte(d++, (byte)'t'); break;
                case '\b': dst.putByte(d++, (byte)'b'); break;
                case '\f': dst.putByte(d++, (byte)'f'); break;
                default:
                    dst.putByte(d++, (byte)'u');
                    dst.putByte(d++, (byte)'0');
                    dst.putByte(d++, (byte)'0');
                    dst.putByte(d++, HEX[(b >> 4) & 0xF]);
                    dst.putByte(d++, HEX[b & 0xF]);
            }
        }
        return d;
    }

    /** Quote a Java string as a JSON string literal (slow path, for control replies). */
    public static String quote(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    private static int escapedLength(final byte b)
    {
        if (b >= 0x20 && b != '"' && b != '\\' || b < 0)
        {
            return 1;
        }
        switch (b)
        {
            case '"':
            case '\\':
            case '\n':
            case '\r':
            case '\t':
            case '\b':
            case '\f':
                return 2;
            default:
                return 6;
        }
    }
}
