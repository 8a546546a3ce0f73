package io.ringcast.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Allocation-free ASCII helpers over byte arrays and buffers: decimal numbers and substring search. Stateless and
 * thread-safe.
 */
final class AsciiCodec
{
    /** Returned by {@link #parseLong} and friends when no number is there. */
    static final long NO_NUMBER = Long.MIN_VALUE;

    private AsciiCodec()
    {
    }

    /**
     * Write {@code value} as decimal ASCII at the buffer's position.
     *
     * @return the number of bytes written.
     */
    static int putDecimal(final ByteBuffer buffer, final long value)
    {
        int written = 0;
        long magnitude = value;
        if (value < 0)
        {
            buffer.put((byte)'-');
            written++;
            magnitude = -value;
        }
        long divisor = 1;
        int digits = 1;
        while (digits < 19 && magnitude / divisor >= 10)
        {
            divisor *= 10;
            digits++;
        }
        for (int i = 0; i < digits; i++)
        {
            buffer.put((byte)('0' + (int)(magnitude / divisor % 10)));
            divisor /= 10;
        }
        return written + digits;
    }

    /**
     * Parse an optionally signed decimal number starting at {@code from}, stopping at the first non-digit or at
     * {@code limit}.
     *
     * @return the number, or {@link #NO_NUMBER} when there is no digit at {@code from}.
     */
    static long parseLong(final byte[] bytes, final int from, final int limit)
    {
        int i = from;
        boolean negative = false;
        if (i < limit && bytes[i] == '-')
        {
            negative = true;
            i++;
        }
        final int firstDigit = i;
        long value = 0;
        while (i < limit)
        {
            final int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            value = value * 10 + digit;
            i++;
        }
        if (i == firstDigit)
        {
            return NO_NUMBER;
        }
        return negative ? -value : value;
    }

    /** The index of the first byte after the unsigned decimal digits starting at {@code from}. */
    static int skipDigits(final byte[] bytes, final int from, final int limit)
    {
        int i = from;
        if (i < limit && bytes[i] == '-')
        {
            i++;
        }
        while (i < limit && bytes[i] >= '0' && bytes[i] <= '9')
        {
            i++;
        }
        return i;
    }

    /** The first index of {@code pattern} in {@code bytes[from, limit)}, or -1. */
    static int indexOf(final byte[] bytes, final int from, final int limit, final byte[] pattern)
    {
        final int last = limit - pattern.length;
        final byte first = pattern[0];
        for (int i = from; i <= last; i++)
        {
            if (bytes[i] != first)
            {
                continue;
            }
            int j = 1;
            while (j < pattern.length && bytes[i + j] == pattern[j])
            {
                j++;
            }
            if (j == pattern.length)
            {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code bytes[from, limit)} starts with {@code prefix}. */
    static boolean startsWith(final byte[] bytes, final int from, final int limit, final byte[] prefix)
    {
        if (limit - from < prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (bytes[from + i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    /** The non-negative integer after {@code "field":} in {@code json}, or -1 (allocates: for rare replies). */
    static long jsonNumber(final String json, final String field)
    {
        final int at = json.indexOf("\"" + field + "\":");
        if (at < 0)
        {
            return -1;
        }
        final byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
        final long value = parseLong(bytes, at + field.length() + 3, bytes.length);
        return value == NO_NUMBER ? -1 : value;
    }
}
