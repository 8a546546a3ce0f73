package io.ringcast.transport.fuzz;

import io.ringcast.transport.codec.JsonParser;
import io.ringcast.transport.codec.TargetName;
import io.ringcast.transport.websocket.ClientFrameDecoder;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.websocket.ClientRequestParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomized properties of the control-message parser. Requests are generated from a model (each field valid or
 * broken in one of many ways, fields in any order, any whitespace, escapes where none are needed, unknown extra
 * fields) and the parser must agree with the model exactly; mutated requests and pathological inputs must get an
 * answer (a request or a bad_request reason), never an exception, in bounded time.
 */
class ClientRequestParserFuzzTest
{
    private static final long SEED = 0x0C0F_FEE5L;
    private static final long MAX_ID = ClientRequestParser.MAX_ID;

    @Test
    void shouldAgreeWithTheModelOnGeneratedRequests()
    {
        final Random random = new Random(SEED);
        long valid = 0;
        final long cases = FuzzInput.cases(20_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final Model model = Model.generate(random);
            final String text = model.json(random);
            final ClientRequest request = parse(text, "model case " + i);
            if (model.valid)
            {
                valid++;
                assertEquals(model.op, request.op(), () -> text + " -> " + request);
                assertEquals(model.topics, request.topics(), text);
                assertEquals(model.group, request.group(), text);
                assertEquals(model.from, request.from(), text);
                assertEquals(model.epoch, request.epoch(), text);
                assertEquals(model.ackId, request.ackId(), text);
            }
            else
            {
                assertEquals(ClientRequest.Op.INVALID, request.op(), () -> "model says invalid: " + text + " -> " + request);
            }
        }
        FuzzInput.report("control parser: model", cases, startNs);
        assertTrue(valid > cases / 10 && valid < cases * 9 / 10, "a mix of valid and invalid requests: " + valid);
    }

    @Test
    void shouldAnswerEveryMutatedRequestWithoutThrowing()
    {
        final Random random = new Random(SEED + 1);
        final long cases = FuzzInput.cases(30_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final byte[] bytes = FuzzInput.mutate(random, Model.generate(random).json(random).getBytes(StandardCharsets.UTF_8));
            // What the frame decoder passes on is valid UTF-8; anything else becomes U+FFFD here, still a test.
            final String text = new String(bytes, StandardCharsets.UTF_8);
            final ClientRequest request = parse(text, "mutated case " + i);
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
            if (!parses)
            {
                assertEquals(ClientRequest.Op.INVALID, request.op(), text);
            }
        }
        FuzzInput.report("control parser: mutated", cases, startNs);
    }

    @Test
    void shouldRefuseDeepNestingWithoutExhaustingTheStack()
    {
        final int depth = ClientFrameDecoder.MAX_MESSAGE_BYTES;
        final List<String> inputs = List.of(
            "[".repeat(depth),
            "[".repeat(depth) + "]".repeat(depth),
            "{\"a\":".repeat(depth / 5) + "1" + "}".repeat(depth / 5),
            "{\"op\":\"subscribe\",\"topics\":" + "[".repeat(depth - 40),
            "[{\"a\":".repeat(depth / 6),
            "[".repeat(1_000_000));
        for (final String input : inputs)
        {
            final ClientRequest request = parse(input, "nesting " + input.length());
            assertEquals(ClientRequest.Op.INVALID, request.op());
        }
        // 512 levels is the limit both ways: just below parses (and is then refused as a non-object or bad topics).
        assertEquals(ClientRequest.Op.INVALID, parse("[".repeat(512) + "]".repeat(512), "512 deep").op());
        JsonParser.parse("[".repeat(512) + "]".repeat(512));
    }

    /**
     * The largest messages built to make a naive parser super-linear (huge numbers, exponents, arrays, keys,
     * escapes, whitespace). Each gets an answer that keeps the invariants; a parser that went quadratic or worse on
     * 64 KiB would not finish, which the generous {@code @Timeout} reports as a hang (no wall-clock threshold).
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldAnswerTheLargestPathologicalMessages()
    {
        final int size = ClientFrameDecoder.MAX_MESSAGE_BYTES - 64;
        final List<String> inputs = List.of(
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":" + "9".repeat(size) + "}",
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1e" + "9".repeat(size) + "}",
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":0." + "0".repeat(size) + "1}",
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1" + "0".repeat(size) + "e-" + size + "}",
            "{\"op\":\"subscribe\",\"topics\":[" + "\"a\",".repeat(size / 4) + "\"a\"]}",
            "{\"op\":\"subscribe\",\"topics\":[" + "1,".repeat(size / 2) + "1]}",
            "{\"op\":" + "\"\\u0000".repeat(1) + "\\u0000".repeat(size / 6) + "\"}",
            "{" + "\"k\":1,".repeat(size / 6) + "\"op\":\"ack\",\"id\":1}",
            "{\"op\":\"ack\",\"id\":1" + " ".repeat(size) + "}",
            " ".repeat(size),
            "{\"op\":\"" + "😀".repeat(size / 8) + "\"}",
            "{\"op\":\"x" + "😀".repeat(40) + "\"}");
        for (final String input : inputs)
        {
            final ClientRequest request = parse(input, "pathological " + input.substring(0, 40));
            assertNotNull(request);
        }
        // "from":1000...0e-N with the zeros and N equal is exactly 1: still an integer, still accepted.
        assertEquals(1, parse("{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1" + "0".repeat(500) + "e-500}", "1e0").from());
    }

    /**
     * Unknown extra fields are ignored and {@code 1e2147483648} is valid JSON (RFC 8259 puts no limit on exponents),
     * so this request is a valid ack. Found by this test (fixed): {@code JsonParser.number()} turns the NumberFormatException of
     * {@code new BigDecimal("1e2147483648")} (exponent beyond an int) into "bad number", and the whole request is
     * refused with bad_request. Payloads are not affected: {@code JsonValidator} accepts the number.
     */
    @Test
    void shouldIgnoreAnUnknownFieldHoldingAHugeExponent()
    {
        final ClientRequest request = parse("{\"op\":\"ack\",\"id\":1,\"x\":1e2147483648}", "huge exponent");
        assertEquals(ClientRequest.Op.ACK, request.op(), () -> "refused: " + request.error());
        assertEquals(1, request.ackId());
    }

    /** Parse and check the invariants every answer keeps, whatever the input. */
    static ClientRequest parse(final String text, final String name)
    {
        final ClientRequest request;
        try
        {
            request = ClientRequestParser.parse(text);
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            fail(name + ": parser threw " + ex + " on " + abbreviate(text), ex);
            return null;
        }
        assertNotNull(request, name);
        switch (request.op())
        {
            case INVALID:
                assertNotNull(request.error(), name);
                // bounded however long the input: an echoed op is cut at 64 characters (each escaped to at most 6)
                assertTrue(!request.error().isEmpty() && request.error().length() < 512,
                    () -> name + ": error reason " + request.error());
                break;
            case SUBSCRIBE:
            case UNSUBSCRIBE:
                assertTrue(!request.topics().isEmpty(), name);
                assertEquals(request.topics().size(), new HashSet<>(request.topics()).size(), name + ": duplicates");
                for (final String topic : request.topics())
                {
                    assertTrue(TargetName.isValid(topic), () -> name + ": topic " + topic);
                }
                assertTrue(request.from() == ClientRequest.NO_FROM || request.from() >= 0 && request.from() <= MAX_ID, name);
                break;
            case JOIN:
            case LEAVE:
                assertTrue(TargetName.isValid(request.group()), () -> name + ": group " + request.group());
                assertTrue(request.from() == ClientRequest.NO_FROM || request.from() >= 0 && request.from() <= MAX_ID, name);
                break;
            case ACK:
                assertTrue(request.ackId() >= 0 && request.ackId() <= MAX_ID, name);
                break;
            default:
                fail(name + ": unknown op " + request.op());
        }
        return request;
    }

    private static String abbreviate(final String text)
    {
        return text.length() > 200 ? text.substring(0, 200) + "...(" + text.length() + " chars)" : text;
    }

    /** What a request says and whether the contract accepts it. */
    static final class Model
    {
        boolean valid = true;
        ClientRequest.Op op;
        List<String> topics = List.of();
        String group;
        long from = ClientRequest.NO_FROM;
        String epoch;
        long ackId;
        final List<String[]> fields = new ArrayList<>();

        static Model generate(final Random random)
        {
            final Model m = new Model();
            final int kind = random.nextInt(7);
            switch (kind)
            {
                case 0: m.op = ClientRequest.Op.SUBSCRIBE; m.field("op", quoted(random, "subscribe")); break;
                case 1: m.op = ClientRequest.Op.UNSUBSCRIBE; m.field("op", quoted(random, "unsubscribe")); break;
                case 2: m.op = ClientRequest.Op.JOIN; m.field("op", quoted(random, "join")); break;
                case 3: m.op = ClientRequest.Op.LEAVE; m.field("op", quoted(random, "leave")); break;
                case 4: m.op = ClientRequest.Op.ACK; m.field("op", quoted(random, "ack")); break;
                case 5:
                {
                    final String[] unknown = {"Subscribe", "subscribe ", "", "publish", "ack\u0000", "joined", "😀"};
                    m.field("op", quoted(random, random.nextBoolean() ? unknown[random.nextInt(unknown.length)] :
                        FuzzInput.randomText(random, 70)));
                    m.valid = false;
                    break;
                }
                default:
                    if (random.nextBoolean())
                    {
                        m.field("op", nonString(random));
                    }
                    m.valid = false;
            }
            if (kind == 0 || kind == 1)
            {
                m.topics(random);
            }
            if (kind == 2 || kind == 3)
            {
                m.group(random);
            }
            if (kind == 0 || kind == 2)
            {
                m.from(random, "from", true);
                m.epoch(random);
            }
            if (kind == 4)
            {
                m.from(random, "id", false);
            }
            final int extras = random.nextInt(3);
            for (int i = 0; i < extras; i++)
            {
                // unknown fields are ignored, whatever they hold; known fields another op does not read are too
                final String[] keys = {"x_" + random.nextInt(100), "type", "data", "topic", "groups", "\u00e9"};
                final String key = keys[random.nextInt(keys.length)];
                if (m.has(key))
                {
                    continue;
                }
                m.field(key, FuzzInput.json(random, 2).trim());
            }
            if (kind == 3 && random.nextInt(4) == 0 && !m.has("from"))
            {
                m.field("from", "\"ignored by leave\"");
            }
            return m;
        }

        private boolean has(final String key)
        {
            for (final String[] field : fields)
            {
                if (field[0].equals(key))
                {
                    return true;
                }
            }
            return false;
        }

        private void field(final String key, final String jsonValue)
        {
            fields.add(new String[]{key, jsonValue});
        }

        private void topics(final Random random)
        {
            switch (random.nextInt(8))
            {
                case 0: valid = false; break;                                   // absent
                case 1: valid = false; field("topics", "[]"); break;
                case 2:
                {
                    final String[] notAnArray = {"1", "true", "null", "{}", "{\"0\":\"a\"}"};
                    valid = false;
                    field("topics", random.nextBoolean() ? quoted(random, "a") : notAnArray[random.nextInt(notAnArray.length)]);
                    break;
                }
                default:
                {
                    final List<String> names = new ArrayList<>();
                    final List<String> values = new ArrayList<>();
                    final int n = 1 + random.nextInt(5);
                    for (int i = 0; i < n; i++)
                    {
                        final String name = !names.isEmpty() && random.nextInt(5) == 0 ?
                            names.get(random.nextInt(names.size())) : FuzzInput.validName(random);
                        names.add(name);
                        values.add(quoted(random, name));
                    }
                    final int broken = random.nextInt(3);
                    if (broken == 1)
                    {
                        valid = false;
                        values.add(random.nextInt(values.size() + 1), quoted(random, FuzzInput.invalidName(random)));
                    }
                    else if (broken == 2 && random.nextBoolean())
                    {
                        valid = false;
                        values.add(random.nextInt(values.size() + 1), nonString(random));
                    }
                    field("topics", "[" + String.join(",", values) + "]");
                    topics = List.copyOf(new LinkedHashSet<>(names));
                }
            }
        }

        private void group(final Random random)
        {
            switch (random.nextInt(6))
            {
                case 0: valid = false; break;
                case 1: valid = false; field("group", quoted(random, FuzzInput.invalidName(random))); break;
                case 2: valid = false; field("group", nonString(random)); break;
                default:
                    group = FuzzInput.validName(random);
                    field("group", quoted(random, group));
            }
        }

        /** {@code from} (optional) or the ack {@code id} (required). */
        private void from(final Random random, final String key, final boolean optional)
        {
            final int choice = random.nextInt(10);
            if (choice == 0)
            {
                if (!optional)
                {
                    valid = false;
                }
                return;
            }
            if (choice <= 5)
            {
                final long[] edges = {0, 1, MAX_ID, MAX_ID - 1, 1000, 123_456_789};
                final long id = random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextLong() & MAX_ID;
                final String text;
                switch (random.nextInt(6))
                {
                    case 0: text = id + ".0"; break;                     // numerically an integer
                    case 1: text = id == 0 ? "-0" : id + "e0"; break;
                    case 2: text = id % 1000 == 0 && id > 0 ? (id / 1000) + "E3" : Long.toString(id); break;
                    default: text = Long.toString(id);
                }
                field(key, text);
                if (optional)
                {
                    from = id;
                }
                else
                {
                    ackId = id;
                }
                return;
            }
            valid = false;
            final String[] bad = {"-1", "-" + (1 + (random.nextLong() & MAX_ID)), "1.5", "0.5", "-0.5",
                Long.toString(MAX_ID + 1), "1e400", "1e-400", "18446744073709551616", "\"3\"", "null", "true", "[]",
                "{}", "[1]"};
            field(key, bad[random.nextInt(bad.length)]);
        }

        private void epoch(final Random random)
        {
            switch (random.nextInt(4))
            {
                case 0: break;
                case 1: valid = false; field("epoch", nonString(random)); break;
                default:
                    epoch = FuzzInput.randomText(random, 20);
                    field("epoch", quoted(random, epoch));
            }
        }

        String json(final Random random)
        {
            final List<String[]> order = new ArrayList<>(fields);
            Collections.shuffle(order, random);
            final StringBuilder sb = new StringBuilder();
            FuzzInput.whitespace(random, sb);
            sb.append('{');
            for (int i = 0; i < order.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                FuzzInput.whitespace(random, sb);
                sb.append(quoted(random, order.get(i)[0]));
                FuzzInput.whitespace(random, sb);
                sb.append(':');
                FuzzInput.whitespace(random, sb);
                sb.append(order.get(i)[1]);
                FuzzInput.whitespace(random, sb);
            }
            sb.append('}');
            FuzzInput.whitespace(random, sb);
            return sb.toString();
        }

        private static String quoted(final Random random, final String s)
        {
            return FuzzInput.jsonString(random, s);
        }

        private static String nonString(final Random random)
        {
            final String[] values = {"1", "-2.5", "true", "false", "null", "[]", "{}", "[\"a\"]", "{\"a\":\"b\"}", "0"};
            return values[random.nextInt(values.length)];
        }
    }
}
