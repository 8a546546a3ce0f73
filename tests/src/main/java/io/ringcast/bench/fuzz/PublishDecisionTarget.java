package io.ringcast.bench.fuzz;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.codec.JsonParser;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * {@link InboundMessage#wrap}, the decision every ingest frame and HTTP publish goes through, against the contract
 * written independently: bad target, then payload too large, then bad payload, else ok. Exact-size buffers, so an
 * out-of-range read throws.
 */
public final class PublishDecisionTarget extends FuzzTarget
{
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

    /** The reference cannot tell (valid JSON that JsonParser refuses: an exponent beyond an int). */
    static final int UNDECIDED = -1;
    /** A number with a digit before an exponent of ten digits or more: the only valid JSON JsonParser refuses. */
    private static final Pattern HUGE_EXPONENT = Pattern.compile("[0-9][eE][+-]?[0-9]{10,}");

    private final InboundMessage message = new InboundMessage();

    @Override
    public String name()
    {
        return "publish-decision";
    }

    @Override
    public String description()
    {
        return "random flags/target/payload/limit through InboundMessage.wrap; status as the contract orders them";
    }

    @Override
    protected void runCase(final Random random)
    {
        final byte flags = (byte)random.nextInt(4);
        final byte[] target = random.nextInt(3) == 0 ? FuzzInputs.randomBytes(random, 8) : random.nextBoolean() ?
            FuzzInputs.invalidName(random).getBytes(StandardCharsets.UTF_8) :
            FuzzInputs.validName(random).getBytes(StandardCharsets.UTF_8);
        final byte[] payload = payload(random);
        final int[] limits = {0, 1, 16, 64, 1 << 20};
        final int maxPayload = limits[random.nextInt(limits.length)];
        final byte[] frame = new byte[target.length + payload.length];
        System.arraycopy(target, 0, frame, 0, target.length);
        System.arraycopy(payload, 0, frame, target.length, payload.length);
        final int status = message.wrap(flags, new UnsafeBuffer(frame), 0, target.length, target.length, payload.length,
            maxPayload, NO_REPLY).status();
        final int expected = expectedStatus(flags, target, payload, maxPayload);
        if (expected == UNDECIDED)
        {
            return;
        }
        check(status == expected, "status " + status + ", contract " + expected + " for flags " + flags + " max " +
            maxPayload + " target " + FuzzInputs.hex(target) + " payload " + FuzzInputs.hex(payload));
    }

    static byte[] payload(final Random random)
    {
        switch (random.nextInt(5))
        {
            case 0: return FuzzInputs.randomBytes(random, 24);
            case 1: return FuzzInputs.utf8Biased(random, 12, 6);
            case 2: return FuzzInputs.utf8Biased(random, 12, 0);
            case 3: return FuzzInputs.json(random, 3).getBytes(StandardCharsets.UTF_8);
            default: return FuzzInputs.mutate(random, FuzzInputs.json(random, 3).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The contract: lowest-numbered problem of bad target, payload too large, bad payload. */
    static int expectedStatus(final int flags, final byte[] target, final byte[] payload, final int maxPayload)
    {
        if (!FuzzInputs.isValidName(target))
        {
            return PublishStatus.BAD_TARGET;
        }
        if (payload.length > maxPayload)
        {
            return PublishStatus.PAYLOAD_TOO_LARGE;
        }
        if (!FuzzInputs.isValidUtf8(payload, 0, payload.length))
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
}
