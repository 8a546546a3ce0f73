package io.ringcast.transport.fuzz;

import io.ringcast.transport.codec.JsonParser;
import io.ringcast.transport.codec.JsonValidator;
import io.ringcast.transport.codec.TargetName;
import io.ringcast.transport.codec.Utf8Validator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential fuzzing of the text codecs every publish and every client request goes through:
 * {@link Utf8Validator} against the JDK's strict decoder, {@link JsonValidator} (bytes, allocation free) against
 * {@link JsonParser} (strings), and the two {@link TargetName} checks against each other. Inputs sit inside a
 * larger buffer between guard bytes chosen to change the answer if read, and Agrona's bounds checks turn any read
 * outside the buffer into an exception.
 */
class TextCodecFuzzTest
{
    private static final long SEED = 0x7E47_C0DEL;
    private static final Pattern HUGE_EXPONENT = Pattern.compile("[eE][+-]?[0-9]{10,}");

    @Test
    void shouldAgreeWithTheJdkOnWhatIsUtf8()
    {
        final Random random = new Random(SEED);
        long valid = 0;
        final long cases = FuzzInput.cases(50_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final byte[] bytes = i % 3 == 0 ? FuzzInput.randomBytes(random, 40) :
                i % 3 == 1 ? FuzzInput.utf8Biased(random, 30, 8) : FuzzInput.mutate(random, FuzzInput.utf8Biased(random, 30, 0));
            final boolean expected = FuzzInput.isValidUtf8(bytes, 0, bytes.length);
            valid += expected ? 1 : 0;
            final long caseNumber = i;
            assertEquals(expected, utf8(bytes, random), () -> "case " + caseNumber + ": " + FuzzInput.hex(bytes));
        }
        FuzzInput.report("utf-8 validator", cases, startNs);
        assertTrue(valid > cases / 10 && valid < cases * 9 / 10, "a mix of valid and invalid: " + valid);
    }

    @Test
    void shouldAgreeWithTheJdkOnEveryShortSequence()
    {
        // Exhaustive over 1 and 2 bytes; 3 bytes after every multi-byte lead, 4 after F0..F7 (edge values after the 2nd).
        final byte[] one = new byte[1];
        for (int a = 0; a < 256; a++)
        {
            one[0] = (byte)a;
            assertEquals(FuzzInput.isValidUtf8(one, 0, 1), utf8(one, null), () -> FuzzInput.hex(one));
        }
        final byte[] two = new byte[2];
        final byte[] three = new byte[3];
        final byte[] four = new byte[4];
        final int[] tails = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF};
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                two[0] = (byte)a;
                two[1] = (byte)b;
                assertEquals(FuzzInput.isValidUtf8(two, 0, 2), utf8(two, null), () -> FuzzInput.hex(two));
                if (a < 0xC0)
                {
                    continue;
                }
                for (final int c : tails)
                {
                    three[0] = (byte)a;
                    three[1] = (byte)b;
                    three[2] = (byte)c;
                    assertEquals(FuzzInput.isValidUtf8(three, 0, 3), utf8(three, null), () -> FuzzInput.hex(three));
                    if (a < 0xF0 || a > 0xF7)
                    {
                        continue;
                    }
                    for (final int d : tails)
                    {
                        System.arraycopy(three, 0, four, 0, 3);
                        four[3] = (byte)d;
                        assertEquals(FuzzInput.isValidUtf8(four, 0, 4), utf8(four, null), () -> FuzzInput.hex(four));
                    }
                }
            }
        }
    }

    @Test
    void shouldAgreeBetweenJsonValidatorAndJsonParser()
    {
        final Random random = new Random(SEED + 1);
        long validCount = 0;
        final long cases = FuzzInput.cases(40_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final byte[] bytes;
            switch ((int)(i % 4))
            {
                case 0: bytes = FuzzInput.json(random, 4).getBytes(StandardCharsets.UTF_8); break;
                case 1: bytes = FuzzInput.mutate(random, FuzzInput.json(random, 4).getBytes(StandardCharsets.UTF_8)); break;
                case 2: bytes = (FuzzInput.edgeNumber(random) + (random.nextBoolean() ? "" : " ")).getBytes(StandardCharsets.UTF_8); break;
                default: bytes = FuzzInput.randomBytes(random, 30);
            }
            if (!FuzzInput.isValidUtf8(bytes, 0, bytes.length))
            {
                // Both paths check UTF-8 first; the validator must still answer without throwing.
                json(bytes, random);
                continue;
            }
            final String text = new String(bytes, StandardCharsets.UTF_8);
            boolean parses;
            try
            {
                JsonParser.parse(text);
                parses = true;
            }
            catch (final IllegalArgumentException ex)
            {
                parses = false;
            }
            catch (final RuntimeException | StackOverflowError ex)
            {
                fail("JsonParser threw " + ex + " on " + FuzzInput.hex(bytes), ex);
                return;
            }
            validCount += parses ? 1 : 0;
            final long caseNumber = i;
            final boolean validated = json(bytes, random);
            if (validated && !parses && HUGE_EXPONENT.matcher(text).find())
            {
                // Known difference, see ClientRequestParserFuzzTest.shouldIgnoreAnUnknownFieldHoldingAHugeExponent:
                // JsonParser refuses numbers BigDecimal cannot hold; they are valid JSON.
                continue;
            }
            assertEquals(parses, validated, () -> "case " + caseNumber + ": " + text);
        }
        FuzzInput.report("json validator vs parser", cases, startNs);
        assertTrue(validCount > cases / 4, "valid JSON tried: " + validCount);
    }

    @Test
    void shouldRefuseDeepNestingInBoundedStack()
    {
        for (final String open : new String[]{"[", "{\"a\":", "[{\"b\":"})
        {
            final byte[] bytes = open.repeat(200_000).getBytes(StandardCharsets.UTF_8);
            assertFalse(JsonValidator.isValid(new UnsafeBuffer(bytes), 0, bytes.length));
        }
        final String limit = "[".repeat(JsonValidator.MAX_DEPTH) + "]".repeat(JsonValidator.MAX_DEPTH);
        final String over = "[" + limit + "]";
        assertTrue(JsonValidator.isValid(new UnsafeBuffer(limit.getBytes(StandardCharsets.UTF_8)), 0, limit.length()));
        assertFalse(JsonValidator.isValid(new UnsafeBuffer(over.getBytes(StandardCharsets.UTF_8)), 0, over.length()));
    }

    @Test
    void shouldAgreeBetweenTheTwoTargetNameChecks()
    {
        final Random random = new Random(SEED + 2);
        final long cases = FuzzInput.cases(20_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final String name = random.nextBoolean() ? FuzzInput.validName(random) : FuzzInput.invalidName(random);
            final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            final boolean asString = TargetName.isValid(name);
            final UnsafeBuffer guarded = new UnsafeBuffer(new byte[bytes.length + 2]);
            guarded.putByte(0, (byte)' ');
            guarded.putBytes(1, bytes);
            guarded.putByte(bytes.length + 1, (byte)' ');
            assertEquals(asString, TargetName.isValid(new UnsafeBuffer(bytes), 0, bytes.length), name);
            assertEquals(asString, TargetName.isValid(guarded, 1, bytes.length), name);
        }
        FuzzInput.report("target name checks", cases, startNs);
        assertFalse(TargetName.isValid(null));
        assertFalse(TargetName.isValid(new UnsafeBuffer(new byte[0]), 0, 0));
    }

    /** Validate exactly, at offset 0 of an exact-size buffer and inside a guarded one; both must agree. */
    private static boolean utf8(final byte[] bytes, final Random random)
    {
        final boolean exact = Utf8Validator.isValid(new UnsafeBuffer(bytes), 0, bytes.length);
        final byte guard = random == null ? (byte)0x80 : random.nextBoolean() ? (byte)0x80 : (byte)0xBF;
        final byte[] guarded = new byte[bytes.length + 6];
        Arrays.fill(guarded, guard);
        System.arraycopy(bytes, 0, guarded, 3, bytes.length);
        final boolean inside = Utf8Validator.isValid(new UnsafeBuffer(guarded), 3, bytes.length);
        assertEquals(exact, inside, () -> "answer depends on bytes outside the range: " + FuzzInput.hex(bytes));
        return exact;
    }

    private static boolean json(final byte[] bytes, final Random random)
    {
        final boolean exact;
        try
        {
            exact = JsonValidator.isValid(new UnsafeBuffer(bytes), 0, bytes.length);
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            fail("JsonValidator threw " + ex + " on " + FuzzInput.hex(bytes), ex);
            return false;
        }
        // Guards that would complete a truncated value if read: digits, a quote, a closing bracket.
        final byte[] guards = {'0', '"', ']', '}', 'e'};
        final byte guard = guards[random.nextInt(guards.length)];
        final byte[] guarded = new byte[bytes.length + 8];
        Arrays.fill(guarded, guard);
        System.arraycopy(bytes, 0, guarded, 4, bytes.length);
        final boolean inside = JsonValidator.isValid(new UnsafeBuffer(guarded), 4, bytes.length);
        assertEquals(exact, inside, () -> "answer depends on bytes outside the range: " + FuzzInput.hex(bytes));
        return exact;
    }
}
