package io.ringcast.transport.codec;

import org.agrona.DirectBuffer;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Allocation free.
 */
public final class Utf8Validator
{
    private Utf8Validator()
    {
    }

    public static boolean isValid(final DirectBuffer buffer, final int offset, final int lengthBytes)
    {
        final int end = offset + lengthBytes;
        int i = offset;
        while (i < end)
        {
            final int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80)
            {
                i++;
                continue;
            }
            if (b0 < 0xC2)
            {
                return false;
            }
            if (b0 < 0xE0)
            {
                if (i + 1 >= end || !isContinuation(buffer.getByte(i + 1)))
                {
                    return false;
                }
                i += 2;
            }
            else if (b0 < 0xF0)
            {
                if (i + 2 >= end)
                {
                    return false;
                }
                final int b1 = buffer.getByte(i + 1) & 0xFF;
                if (!isContinuation((byte)b1) || !isContinuation(buffer.getByte(i + 2)) ||
                    (b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F))
                {
                    return false;
                }
                i += 3;
            }
            else if (b0 < 0xF5)
            {
                if (i + 3 >= end)
                {
                    return false;
                }
                final int b1 = buffer.getByte(i + 1) & 0xFF;
                if (!isContinuation((byte)b1) || !isContinuation(buffer.getByte(i + 2)) ||
                    !isContinuation(buffer.getByte(i + 3)) ||
                    (b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 > 0x8F))
                {
                    return false;
                }
                i += 4;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isContinuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }
}
