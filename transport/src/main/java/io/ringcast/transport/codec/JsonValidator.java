package io.ringcast.transport.codec;

import org.agrona.DirectBuffer;

/**
 * Checks that bytes are one JSON text (RFC 8259: any value, surrounded by optional whitespace), without allocating.
 * The caller checks UTF-8 separately; bytes at or above 0x80 are accepted inside strings only.
 * Nesting deeper than {@link #MAX_DEPTH} is refused so hostile input cannot exhaust the stack.
 */
public final class JsonValidator
{
    public static final int MAX_DEPTH = 512;

    private static final int INVALID = -1;

    private JsonValidator()
    {
    }

    public static boolean isValid(final DirectBuffer buffer, final int offset, final int lengthBytes)
    {
        final int end = offset + lengthBytes;
        int i = skipWhitespace(buffer, offset, end);
        i = value(buffer, i, end, 0);
        if (i == INVALID)
        {
            return false;
        }
        return skipWhitespace(buffer, i, end) == end;
    }

    private static int value(final DirectBuffer b, final int start, final int end, final int depth)
    {
        if (start >= end)
        {
            return INVALID;
        }
        final byte c = b.getByte(start);
        switch (c)
        {
            case '{':
                return depth >= MAX_DEPTH ? INVALID : object(b, start + 1, end, depth + 1);
            case '[':
                return depth >= MAX_DEPTH ? INVALID : array(b, start + 1, end, depth + 1);
            case '"':
                return string(b, start + 1, end);
            case 't':
                return literal(b, start, end, "true");
            case 'f':
                return literal(b, start, end, "false");
            case 'n':
                return literal(b, start, end, "null");
            default:
                return number(b, start, end);
        }
    }

    private static int object(final DirectBuffer b, final int start, final int end, final int depth)
    {
        int i = skipWhitespace(b, start, end);
        if (i < end && b.getByte(i) == '}')
        {
            return i + 1;
        }
        while (true)
        {
            if (i >= end || b.getByte(i) != '"')
            {
                return INVALID;
            }
            i = string(b, i + 1, end);
            if (i == INVALID)
            {
                return INVALID;
            }
            i = skipWhitespace(b, i, end);
            if (i >= end || b.getByte(i) != ':')
            {
                return INVALID;
            }
            i = skipWhitespace(b, i + 1, end);
            i = value(b, i, end, depth);
            if (i == INVALID)
            {
                return INVALID;
            }
            i = skipWhitespace(b, i, end);
            if (i >= end)
            {
                return INVALID;
            }
            final byte c = b.getByte(i);
            if (c == '}')
            {
                return i + 1;
            }
            if (c != ',')
            {
                return INVALID;
            }
            i = skipWhitespace(b, i + 1, end);
        }
    }

    private static int array(final DirectBuffer b, final int start, final int end, final int depth)
    {
        int i = skipWhitespace(b, start, end);
        if (i < end && b.getByte(i) == ']')
        {
            return i + 1;
        }
        while (true)
        {
            i = value(b, i, end, depth);
            if (i == INVALID)
            {
                return INVALID;
            }
            i = skipWhitespace(b, i, end);
            if (i >= end)
            {
                return INVALID;
            }
            final byte c = b.getByte(i);
            if (c == ']')
            {
                return i + 1;
            }
            if (c != ',')
            {
                return INVALID;
            }
            i = skipWhitespace(b, i + 1, end);
        }
    }

    /** @param start the index just after the opening quote. */
    static int string(final DirectBuffer b, final int start, final int end)
    {
        int i = start;
        while (i < end)
        {
            final int c = b.getByte(i) & 0xFF;
            if (c == '"')
            {
                return i + 1;
            }
            if (c < 0x20)
            {
                return INVALID;
            }
            if (c == '\\')
            {
                if (i + 1 >= end)
                {
                    return INVALID;
                }
                final byte e = b.getByte(i + 1);
                switch (e)
                {
                    case '"':
                    case '\\':
                    case '/':
                    case 'b':
                    case 'f':
                    case 'n':
                    case 'r':
                    case 't':
                        i += 2;
                        break;
                    case 'u':
                        if (i + 5 >= end)
                        {
                            return INVALID;
                        }
                        for (int k = 2; k < 6; k++)
                        {
                            if (Character.digit((char)b.getByte(i + k), 16) < 0)
                            {
                                return INVALID;
                            }
                        }
                        i += 6;
                        break;
                    default:
                        return INVALID;
                }
            }
            else
            {
                i++;
            }
        }
        return INVALID;
    }

    private static int number(final DirectBuffer b, final int start, final int end)
    {
        int i = start;
        if (i < end && b.getByte(i) == '-')
        {
            i++;
        }
        if (i >= end)
        {
            return INVALID;
        }
        if (b.getByte(i) == '0')
        {
            i++;
        }
        else if (isDigit(b.getByte(i)))
        {
            while (i < end && isDigit(b.getByte(i)))
            {
                i++;
            }
        }
        else
        {
            return INVALID;
        }
        if (i < end && b.getByte(i) == '.')
        {
            i++;
            if (i >= end || !isDigit(b.getByte(i)))
            {
                return INVALID;
            }
            while (i < end && isDigit(b.getByte(i)))
            {
                i++;
            }
        }
        if (i < end && (b.getByte(i) == 'e' || b.getByte(i) == 'E'))
        {
            i++;
            if (i < end && (b.getByte(i) == '+' || b.getByte(i) == '-'))
            {
                i++;
            }
            if (i >= end || !isDigit(b.getByte(i)))
            {
                return INVALID;
            }
            while (i < end && isDigit(b.getByte(i)))
            {
                i++;
            }
        }
        return i;
    }

    private static int literal(final DirectBuffer b, final int start, final int end, final String word)
    {
        final int length = word.length();
        if (start + length > end)
        {
            return INVALID;
        }
        for (int k = 0; k < length; k++)
        {
            if (b.getByte(start + k) != word.charAt(k))
            {
                return INVALID;
            }
        }
        return start + length;
    }

    private static boolean isDigit(final byte c)
    {
        return c >= '0' && c <= '9';
    }

    private static int skipWhitespace(final DirectBuffer b, final int start, final int end)
    {
        int i = start;
        while (i < end)
        {
            final byte c = b.getByte(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                break;
            }
            i++;
        }
        return i;
    }
}
