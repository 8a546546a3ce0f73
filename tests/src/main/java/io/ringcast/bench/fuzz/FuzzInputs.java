package io.ringcast.bench.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Generators of hostile and almost-valid input, driven by the caller's seeded {@link Random}, and the reference
 * answers the decoders are checked against (the JDK's strict UTF-8 decoder, the name rule of the contract).
 */
public final class FuzzInputs
{
    private static final byte[] INTERESTING = {
        0, 1, 0x7F, (byte)0x80, (byte)0xBF, (byte)0xC0, (byte)0xC1, (byte)0xC2, (byte)0xDF, (byte)0xE0, (byte)0xED,
        (byte)0xEF, (byte)0xF0, (byte)0xF4, (byte)0xF5, (byte)0xFF, '"', '\\', '{', '}', '[', ']', ':', ',', 'u', '0',
        '-', '.', 'e', ' ', '\n', 't', 'n', 'f', 0x7E, (byte)0xFE, 126, 127};
    private static final String NAME_CHARS = "abcXYZ019._:/-";
    private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() ->
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));

    private FuzzInputs()
    {
    }

    public static byte[] randomBytes(final Random random, final int maxLength)
    {
        final byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = random.nextInt(4) == 0 ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte)random.nextInt();
        }
        return bytes;
    }

    /** Mostly valid UTF-8 of every encoding length, with one of the classic invalid forms one piece in {@code invalidOneIn}. */
    public static byte[] utf8Biased(final Random random, final int maxPieces, final int invalidOneIn)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int pieces = random.nextInt(maxPieces + 1);
        for (int p = 0; p < pieces; p++)
        {
            if (invalidOneIn > 0 && random.nextInt(invalidOneIn) == 0)
            {
                out.writeBytes(invalidUtf8(random));
            }
            else
            {
                out.writeBytes(new String(Character.toChars(codePoint(random))).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    public static int codePoint(final Random random)
    {
        switch (random.nextInt(8))
        {
            case 0: case 1: case 2: return 0x20 + random.nextInt(0x5F);
            case 3: return random.nextInt(0x80);
            case 4: return 0x80 + random.nextInt(0x780);
            case 5:
            {
                final int cp = 0x800 + random.nextInt(0x10000 - 0x800);
                return cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp;
            }
            case 6: return 0x10000 + random.nextInt(0x100000);
            default:
            {
                final int[] edges = {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF, 0};
                return edges[random.nextInt(edges.length)];
            }
        }
    }

    public static byte[] invalidUtf8(final Random random)
    {
        switch (random.nextInt(11))
        {
            case 0: return new byte[]{(byte)(0x80 + random.nextInt(0x40))};
            case 1: return new byte[]{(byte)0xC0, (byte)(0x80 + random.nextInt(0x40))};
            case 2: return new byte[]{(byte)0xC1, (byte)0xBF};
            case 3: return new byte[]{(byte)0xE0, (byte)(0x80 + random.nextInt(0x20)), (byte)0x80};
            case 4: return new byte[]{(byte)0xED, (byte)(0xA0 + random.nextInt(0x20)), (byte)0x80};
            case 5: return new byte[]{(byte)0xF0, (byte)(0x80 + random.nextInt(0x10)), (byte)0x80, (byte)0x80};
            case 6: return new byte[]{(byte)0xF4, (byte)(0x90 + random.nextInt(0x30)), (byte)0x80, (byte)0x80};
            case 7: return new byte[]{(byte)(0xF5 + random.nextInt(0x0B))};
            case 8: return new byte[]{(byte)(0xC2 + random.nextInt(0x1E))};
            case 9: return new byte[]{(byte)(0xE1 + random.nextInt(0x0B)), (byte)0x80};
            default: return new byte[]{(byte)0xF1, (byte)0x80, (byte)0x80};
        }
    }

    /** The reference: the JDK's strict UTF-8 decoder. */
    public static boolean isValidUtf8(final byte[] bytes, final int offset, final int length)
    {
        try
        {
            STRICT_UTF8.get().reset().decode(ByteBuffer.wrap(bytes, offset, length));
            return true;
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }

    /** A random, valid JSON text with random whitespace and unneeded escapes. */
    public static String json(final Random random, final int depth)
    {
        final StringBuilder sb = new StringBuilder();
        whitespace(random, sb);
        value(random, sb, depth);
        whitespace(random, sb);
        return sb.toString();
    }

    private static void value(final Random random, final StringBuilder sb, final int depth)
    {
        switch (random.nextInt(depth > 0 ? 8 : 6))
        {
            case 0: sb.append(random.nextBoolean() ? "true" : "false"); break;
            case 1: sb.append("null"); break;
            case 2: sb.append(number(random)); break;
            case 3: case 4: case 5: sb.append(jsonString(random, text(random, 12))); break;
            case 6:
            {
                sb.append('[');
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++)
                {
                    if (i > 0)
                    {
                        sb.append(',');
                    }
                    whitespace(random, sb);
                    value(random, sb, depth - 1);
                }
                sb.append(']');
                break;
            }
            default:
            {
                sb.append('{');
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++)
                {
                    if (i > 0)
                    {
                        sb.append(',');
                    }
                    sb.append(jsonString(random, text(random, 6)));
                    whitespace(random, sb);
                    sb.append(':');
                    value(random, sb, depth - 1);
                    whitespace(random, sb);
                }
                sb.append('}');
            }
        }
    }

    private static String number(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0: return Long.toString(random.nextLong());
            case 1: return Integer.toString(random.nextInt(1000));
            case 2: return random.nextInt(100) + "." + random.nextInt(1000) + (random.nextBoolean() ? "e-" + random.nextInt(30) : "");
            default:
            {
                final String[] edges = {"0", "-0", "1.0", "1e3", "1E+3", "1e-3", "9007199254740992", "1e400", "-0.0e0"};
                return edges[random.nextInt(edges.length)];
            }
        }
    }

    public static String text(final Random random, final int maxCodePoints)
    {
        final StringBuilder sb = new StringBuilder();
        final int n = random.nextInt(maxCodePoints + 1);
        for (int i = 0; i < n; i++)
        {
            sb.appendCodePoint(codePoint(random));
        }
        return sb.toString();
    }

    /** A JSON string literal, escaping what must be and, at random, what need not be. */
    public static String jsonString(final Random random, final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); )
        {
            final int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            final boolean escapeAnyway = random.nextInt(10) == 0;
            if (cp == '"' || cp == '\\')
            {
                sb.append('\\').append((char)cp);
            }
            else if (cp < 0x20 || escapeAnyway)
            {
                for (final char c : Character.toChars(cp))
                {
                    sb.append("\\u").append(String.format("%04x", (int)c));
                }
            }
            else
            {
                sb.appendCodePoint(cp);
            }
        }
        return sb.append('"').toString();
    }

    public static void whitespace(final Random random, final StringBuilder sb)
    {
        if (random.nextInt(3) == 0)
        {
            sb.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }

    public static String validName(final Random random)
    {
        final int length = random.nextInt(20) == 0 ? 255 : 1 + random.nextInt(12);
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
        }
        return sb.toString();
    }

    public static String invalidName(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0: return "";
            case 1: return "a".repeat(256);
            case 2:
            {
                final String bad = " \t\"\\,;*?#\u00e9\u00ff\u0100";
                final String base = validName(random);
                final int at = random.nextInt(base.length() + 1);
                return base.substring(0, at) + bad.charAt(random.nextInt(bad.length())) + base.substring(at);
            }
            default: return text(random, 8) + " ";
        }
    }

    /** The contract's name rule, written as a regular expression over bytes. */
    public static boolean isValidName(final byte[] name)
    {
        return new String(name, StandardCharsets.ISO_8859_1).matches("[A-Za-z0-9._:/-]{1,255}");
    }

    /** One to three random edits: flip a bit, overwrite, insert, delete, duplicate a run, truncate. */
    public static byte[] mutate(final Random random, final byte[] input)
    {
        byte[] bytes = input;
        final int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++)
        {
            final int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(6))
            {
                case 0:
                    if (bytes.length > 0)
                    {
                        bytes = bytes.clone();
                        bytes[at] ^= (byte)(1 << random.nextInt(8));
                    }
                    break;
                case 1:
                    if (bytes.length > 0)
                    {
                        bytes = bytes.clone();
                        bytes[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    }
                    break;
                case 2:
                {
                    final byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                    break;
                }
                case 3:
                    if (bytes.length > 0)
                    {
                        final byte[] shorter = new byte[bytes.length - 1];
                        System.arraycopy(bytes, 0, shorter, 0, at);
                        System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                        bytes = shorter;
                    }
                    break;
                case 4:
                {
                    final int run = Math.min(bytes.length - at, 1 + random.nextInt(8));
                    final byte[] longer = new byte[bytes.length + run];
                    System.arraycopy(bytes, 0, longer, 0, at + run);
                    System.arraycopy(bytes, at, longer, at + run, bytes.length - at);
                    bytes = longer;
                    break;
                }
                default:
                    bytes = Arrays.copyOf(bytes, at);
            }
        }
        return bytes;
    }

    public static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        final int n = Math.min(bytes.length, 96);
        for (int i = 0; i < n; i++)
        {
            sb.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return sb.append(bytes.length > n ? "...(" + bytes.length + " bytes)" : "").toString();
    }
}
