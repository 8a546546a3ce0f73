package io.ringcast.transport.codec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON parser for control messages (slow path: it allocates). Produces {@link Map}, {@link List},
 * {@link String}, {@link BigDecimal} (a {@link Double} when the exponent is out of BigDecimal's range),
 * {@link Boolean} and {@code null}. Numbers are kept exact so that
 * {@code 1.5} or {@code 1e300} can be told apart from integers.
 */
public final class JsonParser
{
    private final String text;
    private int pos;

    private JsonParser(final String text)
    {
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException with a short reason when {@code text} is not one JSON value.
     */
    public static Object parse(final String text)
    {
        final JsonParser parser = new JsonParser(text);
        parser.skipWhitespace();
        final Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length())
        {
            throw parser.error("unexpected data after the JSON value");
        }
        return value;
    }

    private Object value(final int depth)
    {
        if (pos >= text.length())
        {
            throw error("unexpected end of JSON");
        }
        final char c = text.charAt(pos);
        switch (c)
        {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object(final int depth)
    {
        checkDepth(depth);
        pos++;
        final Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}')
        {
            pos++;
            return map;
        }
        while (true)
        {
            skipWhitespace();
            if (peek() != '"')
            {
                throw error("expected a field name");
            }
            final String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, value(depth));
            skipWhitespace();
            final char c = next();
            if (c == '}')
            {
                return map;
            }
            if (c != ',')
            {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(final int depth)
    {
        checkDepth(depth);
        pos++;
        final List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']')
        {
            pos++;
            return list;
        }
        while (true)
        {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            final char c = next();
            if (c == ']')
            {
                return list;
            }
            if (c != ',')
            {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string()
    {
        pos++;
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (pos >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(pos++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw error("control character in string");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = next();
            switch (e)
            {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                {
                    if (pos + 4 > text.length())
                    {
                        throw error("bad \\u escape");
                    }
                    // Exactly four ASCII hex digits (RFC 8259); Integer.parseInt would also take a sign or
                    // non-ASCII digits.
                    int unit = 0;
                    for (int k = 0; k < 4; k++)
                    {
                        final int digit = hexDigit(text.charAt(pos + k));
                        if (digit < 0)
                        {
                            throw error("bad \\u escape");
                        }
                        unit = (unit << 4) | digit;
                    }
                    sb.append((char)unit);
                    pos += 4;
                    break;
                }
                default:
                    throw error("bad escape");
            }
        }
    }

    private Object number()
    {
        final int start = pos;
        if (peek() == '-')
        {
            pos++;
        }
        if (peek() == '0')
        {
            pos++;
        }
        else if (isDigit(peek()))
        {
            digits();
        }
        else
        {
            throw error("unexpected character");
        }
        if (peek() == '.')
        {
            pos++;
            if (!isDigit(peek()))
            {
                throw error("bad number");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E')
        {
            pos++;
            if (peek() == '+' || peek() == '-')
            {
                pos++;
            }
            if (!isDigit(peek()))
            {
                throw error("bad number");
            }
            digits();
        }
        try
        {
            return new BigDecimal(text.substring(start, pos));
        }
        catch (final NumberFormatException ex)
        {
            // Valid JSON whose exponent BigDecimal cannot hold (1e2147483648): still a number, just not an exact one.
            return Double.valueOf(text.substring(start, pos));
        }
    }

    private void digits()
    {
        while (isDigit(peek()))
        {
            pos++;
        }
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("unexpected character");
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(final int depth)
    {
        if (depth > JsonValidator.MAX_DEPTH)
        {
            throw error("nested too deeply");
        }
    }

    private void expect(final char c)
    {
        if (next() != c)
        {
            throw error("expected '" + c + "'");
        }
    }

    private char peek()
    {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next()
    {
        if (pos >= text.length())
        {
            throw error("unexpected end of JSON");
        }
        return text.charAt(pos++);
    }

    private void skipWhitespace()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }
            pos++;
        }
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private static int hexDigit(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }

    private IllegalArgumentException error(final String reason)
    {
        return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + reason);
    }
}
