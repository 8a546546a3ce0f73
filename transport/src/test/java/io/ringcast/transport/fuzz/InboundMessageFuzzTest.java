package io.ringcast.transport.fuzz;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.codec.JsonParser;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The publish decision every ingest frame and HTTP publish goes through ({@link InboundMessage#wrap}) against a
 * reference written from the contract: bad target, then payload too large, then bad payload (invalid UTF-8, or
 * invalid JSON with the JSON flag), else ok. One reused flyweight, exact-size buffers (an out-of-range read
 * throws) and guarded ones (an out-of-range read changes the answer).
 */
class InboundMessageFuzzTest
{
    private static final long SEED = 0x1A6E_5700L;
    /** The reference cannot tell: valid JSON that JsonParser refuses (see TextCodecFuzzTest, huge exponents). */
    static final int UNDECIDED = -1;
    /** A number with a digit before an exponent of ten digits or more: the only valid JSON JsonParser refuses. */
    private static final Pattern HUGE_EXPONENT = Pattern.compile("[0-9][eE][+-]?[0-9]{10,}");
    private static final PublishReplier NO_REPLY = new PublishReplier()
    {
        @Override
        public boolean reply(final int status, final long id)
        {
            return false;
        }

        @Override
        public void commit()
        {
        }
    };

    @Test
    void shouldDecideEveryStatusAsTheContractOrdersThem()
    {
        final Random random = new Random(SEED);
        final InboundMessage message = new InboundMessage();
        final long[] statuses = new long[6];
        final long cases = FuzzInput.cases(50_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final byte flags = (byte)random.nextInt(4);
            final byte[] target = target(random);
            final byte[] payload = payload(random, (flags & InboundMessage.FLAG_JSON) != 0);
            final int[] limits = {0, 1, 16, 64, 1 << 20};
            final int maxPayload = limits[random.nextInt(limits.length)];
            final int expected = expectedStatus(flags, target, payload, maxPayload);
            if (expected == UNDECIDED)
            {
                continue;
            }
            statuses[expected]++;

            final byte[] frame = new byte[target.length + payload.length];
            System.arraycopy(target, 0, frame, 0, target.length);
            System.arraycopy(payload, 0, frame, target.length, payload.length);
            final int status = wrap(message, flags, new UnsafeBuffer(frame), 0, target.length, payload.length, maxPayload);

            final byte[] guarded = new byte[frame.length + 8];
            Arrays.fill(guarded, random.nextBoolean() ? (byte)0x80 : (byte)'a');
            System.arraycopy(frame, 0, guarded, 4, frame.length);
            final int guardedStatus = wrap(message, flags, new UnsafeBuffer(guarded), 4, target.length, payload.length,
                maxPayload);

            final long caseNumber = i;
            final Supplier<String> description = () -> "case " + caseNumber + " flags " + flags +
                " max " + maxPayload + " target " + FuzzInput.hex(target) + " payload " + FuzzInput.hex(payload);
            assertEquals(expected, status, description);
            assertEquals(status, guardedStatus, () -> "answer depends on bytes outside the frame, case " + caseNumber);
            assertEquals(4 + target.length, message.payloadOffset(), description);
            assertEquals(payload.length, message.payloadLength(), description);
            assertSame(NO_REPLY, message.replier());
        }
        FuzzInput.report("publish decision", cases, startNs);
        for (int status = PublishStatus.OK; status <= PublishStatus.BAD_PAYLOAD; status++)
        {
            assertTrue(statuses[status] > cases / 25, PublishStatus.code(status) + " tried " + statuses[status] + " times");
        }
    }

    private static int wrap(
        final InboundMessage message,
        final byte flags,
        final UnsafeBuffer buffer,
        final int offset,
        final int targetLength,
        final int payloadLength,
        final int maxPayload)
    {
        try
        {
            return message.wrap(flags, buffer, offset, targetLength, offset + targetLength, payloadLength, maxPayload,
                NO_REPLY).status();
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            fail("wrap threw " + ex, ex);
            return -1;
        }
    }

    /** The contract, written independently: lowest-numbered problem wins. */
    static int expectedStatus(final byte flags, final byte[] target, final byte[] payload, final int maxPayload)
    {
        final String name = new String(target, StandardCharsets.ISO_8859_1);
        if (!name.matches("[A-Za-z0-9._:/-]{1,255}"))
        {
            return PublishStatus.BAD_TARGET;
        }
        if (payload.length > maxPayload)
        {
            return PublishStatus.PAYLOAD_TOO_LARGE;
        }
        if (!FuzzInput.isValidUtf8(payload, 0, payload.length))
        {
            return PublishStatus.BAD_PAYLOAD;
        }
        if ((flags & InboundMessage.FLAG_JSON) != 0)
        {
            final String text = new String(payload, StandardCharsets.UTF_8);
            try
            {
                JsonParser.parse(text);
            }
            catch (final IllegalArgumentException ex)
            {
                return ex.getMessage().endsWith("bad number") && HUGE_EXPONENT.matcher(text).find() ? UNDECIDED :
                    PublishStatus.BAD_PAYLOAD;
            }
        }
        return PublishStatus.OK;
    }

    private static byte[] target(final Random random)
    {
        switch (random.nextInt(6))
        {
            case 0: return FuzzInput.randomBytes(random, 8);
            case 1: return FuzzInput.invalidName(random).getBytes(StandardCharsets.UTF_8);
            default: return FuzzInput.validName(random).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static byte[] payload(final Random random, final boolean json)
    {
        switch (random.nextInt(json ? 5 : 4))
        {
            case 0: return FuzzInput.randomBytes(random, 24);
            case 1: return FuzzInput.utf8Biased(random, 12, 6);
            case 2: return FuzzInput.utf8Biased(random, 12, 0);
            case 3: return FuzzInput.json(random, 3).getBytes(StandardCharsets.UTF_8);
            default: return FuzzInput.mutate(random, FuzzInput.json(random, 3).getBytes(StandardCharsets.UTF_8));
        }
    }
}
