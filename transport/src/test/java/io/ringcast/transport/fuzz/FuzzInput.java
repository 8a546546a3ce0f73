package io.ringcast.transport.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Generators of hostile and almost-valid input for the fuzz tests, all driven by a caller's seeded {@link Random}
 * so that every failure can be replayed from its seed and case number, and the case count of each fuzz loop.
 */
final class FuzzInput
{
    /**
     * Cases per fuzz loop instead of each loop's own default; {@code bench/fuzz-bench.sh} sets millions. Unset or 0
     * (the transport POM passes 0) means the defaults: thousands per loop, a few seconds per class.
     */
    private static final long CASES = Long.getLong("ringcast.fuzz.cases", 0);

    /** Bytes that mean something to one of the decoders: JSON punctuation, UTF-8 lead and continuation bytes. */
    private static final byte[] INTERESTING = {
        0, 1, 0x7F, (byte)0x80, (byte)0xBF, (byte)0xC0, (byte)0xC1, (byte)0xC2, (byte)0xDF, (byte)0xE0, (byte)0xED,
        (byte)0xEF, (byte)0xF0, (byte)0xF4, (byte)0xF5, (byte)0xFF, '"', '\\', '{', '}', '[', ']', ':', ',', 'u', '0',
        '-', '.', 'e', ' ', '\n', 't', 'n', 'f', 0x7E, (byte)0xFE, 126, 127};

    private static final String NAME_CHARS = "abcXYZ019._:/-";
    private static final String[] EDGE_NUMBERS = {
        "0", "-0", "1", "-1", "1.0", "1.5", "1e3", "1E+3", "1e-3", "0.0", "9007199254740991", "9007199254740992",
        "18446744073709551616", "1e400", "1e-400", "-9007199254740991", "00", "01", "1.", ".5", "+1", "1e", "--1",
        "0x10", "NaN", "Infinity", "1e2147483648", "123456789012345678901234567890"};

    private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() ->
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));

    private FuzzInput()
    {
    }

    /** How many cases a fuzz loop runs: {@code ringcast.fuzz.cases} when set, else {@code defaultCases}. */
    static long cases(final long defaultCases)
    {
        return CASES > 0 ? CASES : defaultCases;
    }

    /** When {@code ringcast.fuzz.cases} is set, print the loop's cases per second (one line, starting "fuzz "). */
    static void report(final String loop, final long cases, final long startNs)
    {
        if (CASES > 0)
        {
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            System.out.printf(Locale.ROOT, "fuzz %-34s %,13d cases %8.2f s %,12.0f cases/s%n", loop, cases, seconds,
                cases / seconds);
        }
    }

    static byte[] randomBytes(final Random random, final int maxLength)
    {
        final byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = random.nextInt(4) == 0 ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte)random.nextInt();
        }
        return bytes;
    }

    /** Mostly valid UTF-8 (every encoding length) with, now and then, one of the classic invalid forms. */
    static byte[] utf8Biased(final Random random, final int maxPieces, final int invalidOneIn)
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

    /** A code point, weighted towards ASCII and towards the edges of each UTF-8 length and the surrogate gap. */
    static int codePoint(final Random random)
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

    /** One of the invalid UTF-8 forms RFC 3629 rules out. */
    static byte[] invalidUtf8(final Random random)
    {
        switch (random.nextInt(11))
        {
            case 0: return new byte[]{(byte)(0x80 + random.nextInt(0x40))};                          // lone continuation
            case 1: return new byte[]{(byte)0xC0, (byte)(0x80 + random.nextInt(0x40))};              // overlong 2-byte
            case 2: return new byte[]{(byte)0xC1, (byte)0xBF};                                       // overlong 2-byte
            case 3: return new byte[]{(byte)0xE0, (byte)(0x80 + random.nextInt(0x20)), (byte)0x80}; // overlong 3-byte
            case 4: return new byte[]{(byte)0xED, (byte)(0xA0 + random.nextInt(0x20)), (byte)0x80}; // surrogate
            case 5: return new byte[]{(byte)0xF0, (byte)(0x80 + random.nextInt(0x10)), (byte)0x80, (byte)0x80};
            case 6: return new byte[]{(byte)0xF4, (byte)(0x90 + random.nextInt(0x30)), (byte)0x80, (byte)0x80};
            case 7: return new byte[]{(byte)(0xF5 + random.nextInt(0x0B))};                          // never valid
            case 8: return new byte[]{(byte)(0xC2 + random.nextInt(0x1E))};                          // truncated 2-byte
            case 9: return new byte[]{(byte)(0xE1 + random.nextInt(0x0B)), (byte)0x80};              // truncated 3-byte
            default: return new byte[]{(byte)0xF1, (byte)0x80, (byte)0x80};                          // truncated 4-byte
        }
    }

    /** The reference answer: the JDK's strict decoder. */
    static boolean isValidUtf8(final byte[] bytes, final int offset, final int length)
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

    /** A random JSON text with random whitespace, escapes and edge-case numbers; always valid. */
    static String json(final Random random, final int depth)
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
            case 2: sb.append(validNumber(random)); break;
            case 3: case 4: case 5: sb.append(jsonString(random, randomText(random, 12))); break;
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
                    whitespace(random, sb);
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
                    whitespace(random, sb);
                    sb.append(jsonString(random, randomText(random, 6)));
                    whitespace(random, sb);
                    sb.append(':');
                    whitespace(random, sb);
                    value(random, sb, depth - 1);
                    whitespace(random, sb);
                }
                sb.append('}');
            }
        }
    }

    static String validNumber(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0: return Long.toString(random.nextLong());
            case 1: return Integer.toString(random.nextInt(1000));
            case 2: return random.nextInt(100) + "." + random.nextInt(1000) + (random.nextBoolean() ? "e-" + random.nextInt(30) : "");
            default:
            {
                final String[] valid = {"0", "-0", "1.0", "1e3", "1E+3", "1e-3", "9007199254740992", "1e400", "-0.0e0"};
                return valid[random.nextInt(valid.length)];
            }
        }
    }

    static String edgeNumber(final Random random)
    {
        return EDGE_NUMBERS[random.nextInt(EDGE_NUMBERS.length)];
    }

    /** Text of any code points (no lone surrogates), control characters included. */
    static String randomText(final Random random, final int maxLength)
    {
        final StringBuilder sb = new StringBuilder();
        final int n = random.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++)
        {
            sb.appendCodePoint(codePoint(random));
        }
        return sb.toString();
    }

    /** A JSON string literal for {@code s}, escaping what must be escaped and, at random, much that need not be. */
    static String jsonString(final Random random, final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); )
        {
            final int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            final boolean escapeAnyway = random.nextInt(10) == 0;
            switch (cp)
            {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '/': sb.append(escapeAnyway ? "\\/" : "/"); break;
                case '\n': sb.append(escapeAnyway ? "\\u000a" : "\\n"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (cp < 0x20 || escapeAnyway)
                    {
                        // a supplementary code point is escaped as its surrogate pair, as JSON requires
                        for (final char c : Character.toChars(cp))
                        {
                            sb.append(String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int)c));
                        }
                    }
                    else
                    {
                        sb.appendCodePoint(cp);
                    }
            }
        }
        return sb.append('"').toString();
    }

    static void whitespace(final Random random, final StringBuilder sb)
    {
        if (random.nextInt(3) == 0)
        {
            final String[] ws = {" ", "\t", "\n", "\r", "  \n "};
            sb.append(ws[random.nextInt(ws.length)]);
        }
    }

    /** A valid topic or group name. */
    static String validName(final Random random)
    {
        final int length = random.nextInt(20) == 0 ? 255 : 1 + random.nextInt(12);
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
        }
        return sb.toString();
    }

    /** A name the contract refuses: empty, too long, or with a character outside {@code [A-Za-z0-9._:/-]}. */
    static String invalidName(final Random random)
    {
        switch (random.nextInt(5))
        {
            case 0: return "";
            case 1: return "a".repeat(256);
            case 2:
            {
                final String bad = " \t\"\\\u0000,;*?#é\u00ff\u0100\u2028😀";
                final String base = validName(random);
                final int at = random.nextInt(base.length() + 1);
                final int cp = bad.codePointAt(bad.offsetByCodePoints(0, random.nextInt(bad.codePointCount(0, bad.length()))));
                return base.substring(0, at) + new String(Character.toChars(cp)) + base.substring(at);
            }
            case 3: return randomText(random, 8) + " ";
            default: return "é".repeat(1 + random.nextInt(3));
        }
    }

    /** One to three random edits: flip a bit, overwrite, insert, delete, duplicate a run, or truncate. */
    static byte[] mutate(final Random random, final byte[] input)
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
                    longer[at] = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte)random.nextInt();
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

    /** Hex of the first bytes, for failure messages. */
    static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        final int n = Math.min(bytes.length, 96);
        for (int i = 0; i < n; i++)
        {
            sb.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.append(bytes.length > n ? "...(" + bytes.length + " bytes)" : "").toString();
    }
}
