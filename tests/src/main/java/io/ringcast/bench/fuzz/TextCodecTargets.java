package io.ringcast.bench.fuzz;

import io.ringcast.transport.codec.JsonParser;
import io.ringcast.transport.codec.JsonValidator;
import io.ringcast.transport.codec.Utf8Validator;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;

/** The text codecs, each against an independent reference, inside guarded buffers. */
public final class TextCodecTargets
{
    private TextCodecTargets()
    {
    }

    /** {@link Utf8Validator} against the JDK's strict decoder. */
    public static final class Utf8 extends FuzzTarget
    {
        @Override
        public String name()
        {
            return "utf8-validator";
        }

        @Override
        public String description()
        {
            return "random, UTF-8-like and mutated bytes; same answer as the JDK, nothing read outside the range";
        }

        @Override
        protected void runCase(final Random random)
        {
            final int mode = random.nextInt(3);
            final byte[] bytes = mode == 0 ? FuzzInputs.randomBytes(random, 40) : mode == 1 ?
                FuzzInputs.utf8Biased(random, 30, 8) : FuzzInputs.mutate(random, FuzzInputs.utf8Biased(random, 30, 0));
            final boolean expected = FuzzInputs.isValidUtf8(bytes, 0, bytes.length);
            final byte[] guarded = new byte[bytes.length + 6];
            Arrays.fill(guarded, random.nextBoolean() ? (byte)0x80 : (byte)0xBF);
            System.arraycopy(bytes, 0, guarded, 3, bytes.length);
            check(Utf8Validator.isValid(new UnsafeBuffer(bytes), 0, bytes.length) == expected &&
                Utf8Validator.isValid(new UnsafeBuffer(guarded), 3, bytes.length) == expected,
                "JDK says " + expected + " for " + FuzzInputs.hex(bytes));
        }
    }

    /** {@link JsonValidator} (bytes, allocation free) against {@link JsonParser} (strings). */
    public static final class Json extends FuzzTarget
    {
        /** Valid JSON that JsonParser refuses (BigDecimal cannot hold the exponent): reported apart, not a failure here. */
        private static final Pattern HUGE_EXPONENT = Pattern.compile("[eE][+-]?[0-9]{10,}");

        @Override
        public String name()
        {
            return "json-validator";
        }

        @Override
        public String description()
        {
            return "generated, mutated and random JSON-ish bytes; validator and parser agree, no exception";
        }

        @Override
        protected void runCase(final Random random)
        {
            final byte[] bytes;
            switch (random.nextInt(3))
            {
                case 0: bytes = FuzzInputs.json(random, 4).getBytes(StandardCharsets.UTF_8); break;
                case 1: bytes = FuzzInputs.mutate(random, FuzzInputs.json(random, 4).getBytes(StandardCharsets.UTF_8)); break;
                default: bytes = FuzzInputs.randomBytes(random, 30);
            }
            final byte[] guarded = new byte[bytes.length + 8];
            Arrays.fill(guarded, "0\"]}e".getBytes(StandardCharsets.US_ASCII)[random.nextInt(5)]);
            System.arraycopy(bytes, 0, guarded, 4, bytes.length);
            final boolean validated = JsonValidator.isValid(new UnsafeBuffer(bytes), 0, bytes.length);
            check(validated == JsonValidator.isValid(new UnsafeBuffer(guarded), 4, bytes.length),
                "answer depends on bytes outside the range: " + FuzzInputs.hex(bytes));
            if (!FuzzInputs.isValidUtf8(bytes, 0, bytes.length))
            {
                return;
            }
            final String text = new String(bytes, StandardCharsets.UTF_8);
            boolean parses = true;
            try
            {
                JsonParser.parse(text);
            }
            catch (final IllegalArgumentException ex)
            {
                parses = false;
            }
            if (validated && !parses && HUGE_EXPONENT.matcher(text).find())
            {
                return;
            }
            check(validated == parses, "validator " + validated + ", parser " + parses + " for " + text);
        }
    }
}
