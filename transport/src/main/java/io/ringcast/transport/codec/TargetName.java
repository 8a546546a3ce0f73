package io.ringcast.transport.codec;

import org.agrona.DirectBuffer;

/**
 * The rule for topic and group names on every path: 1 to 255 bytes of {@code [A-Za-z0-9._:/-]}.
 * Such a name never needs escaping inside a JSON string.
 */
public final class TargetName
{
    public static final int MAX_LENGTH_BYTES = 255;

    private static final boolean[] ALLOWED = new boolean[256];

    static
    {
        for (char c = 'a'; c <= 'z'; c++)
        {
            ALLOWED[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++)
        {
            ALLOWED[c] = true;
        }
        for (char c = '0'; c <= '9'; c++)
        {
            ALLOWED[c] = true;
        }
        for (final char c : "._:/-".toCharArray())
        {
            ALLOWED[c] = true;
        }
    }

    private TargetName()
    {
    }

    public static boolean isValid(final DirectBuffer buffer, final int offset, final int lengthBytes)
    {
        if (lengthBytes < 1 || lengthBytes > MAX_LENGTH_BYTES)
        {
            return false;
        }
        for (int i = 0; i < lengthBytes; i++)
        {
            if (!ALLOWED[buffer.getByte(offset + i) & 0xFF])
            {
                return false;
            }
        }
        return true;
    }

    public static boolean isValid(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH_BYTES)
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c > 255 || !ALLOWED[c])
            {
                return false;
            }
        }
        return true;
    }
}
