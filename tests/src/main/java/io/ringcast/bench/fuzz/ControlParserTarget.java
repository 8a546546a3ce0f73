package io.ringcast.bench.fuzz;

import io.ringcast.transport.codec.JsonParser;
import io.ringcast.transport.codec.TargetName;
import io.ringcast.transport.websocket.ClientRequest;
import io.ringcast.transport.websocket.ClientRequestParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The control-message parser. A case is a request generated from a model (each field valid or broken, any order,
 * any whitespace, unneeded escapes, unknown fields): the parser must agree with the model; or the same request
 * mutated: the parser must answer (a request whose fields keep the contract, or a short bad_request reason),
 * never throw.
 */
public final class ControlParserTarget extends FuzzTarget
{
    private static final long MAX_ID = ClientRequestParser.MAX_ID;

    @Override
    public String name()
    {
        return "control-parser";
    }

    @Override
    public String description()
    {
        return "model-generated and mutated control messages; agrees with the model, never throws";
    }

    @Override
    protected void runCase(final Random random)
    {
        final Model model = Model.generate(random);
        final String json = model.json(random);
        if (random.nextBoolean())
        {
            final ClientRequest request = parse(json);
            if (!model.valid)
            {
                check(request.op() == ClientRequest.Op.INVALID, "model says invalid: " + json + " -> " + request);
                return;
            }
            check(model.op == request.op() && model.topics.equals(request.topics()) &&
                Objects.equals(model.group, request.group()) && model.from == request.from() &&
                Objects.equals(model.epoch, request.epoch()) && model.ackId == request.ackId(),
                "model disagrees: " + json + " -> " + request);
            return;
        }
        final String mutated = new String(FuzzInputs.mutate(random, json.getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
        final ClientRequest request = parse(mutated);
        boolean parses = true;
        try
        {
            JsonParser.parse(mutated);
        }
        catch (final IllegalArgumentException ex)
        {
            parses = false;
        }
        check(parses || request.op() == ClientRequest.Op.INVALID, "not JSON but accepted: " + mutated);
    }

    private static ClientRequest parse(final String text)
    {
        final ClientRequest request = ClientRequestParser.parse(text);
        check(request != null, "no answer for " + text);
        switch (request.op())
        {
            case INVALID:
                check(request.error() != null && !request.error().isEmpty() && request.error().length() < 512,
                    "reason " + request.error());
                break;
            case SUBSCRIBE:
            case UNSUBSCRIBE:
                check(!request.topics().isEmpty() && new HashSet<>(request.topics()).size() == request.topics().size(),
                    "topics " + request.topics());
                for (final String topic : request.topics())
                {
                    check(TargetName.isValid(topic), "topic " + topic);
                }
                check(request.from() == ClientRequest.NO_FROM || request.from() >= 0 && request.from() <= MAX_ID,
                    "from " + request.from());
                break;
            case JOIN:
            case LEAVE:
                check(TargetName.isValid(request.group()), "group " + request.group());
                break;
            case ACK:
                check(request.ackId() >= 0 && request.ackId() <= MAX_ID, "ack id " + request.ackId());
                break;
            default:
                throw new Failure("unknown op " + request.op());
        }
        return request;
    }

    /** A request's fields and whether the contract accepts it. */
    static final class Model
    {
        boolean valid = true;
        ClientRequest.Op op = ClientRequest.Op.INVALID;
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
            final String[] ops = {"subscribe", "unsubscribe", "join", "leave", "ack"};
            if (kind < 5)
            {
                m.op = ClientRequest.Op.values()[kind];
                m.field("op", quoted(random, ops[kind]));
            }
            else
            {
                m.valid = false;
                if (kind == 5)
                {
                    m.field("op", quoted(random, random.nextBoolean() ? "Subscribe" : FuzzInputs.text(random, 20)));
                }
                else if (random.nextBoolean())
                {
                    m.field("op", nonString(random));
                }
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
                m.id(random, "from", true);
                m.epoch(random);
            }
            if (kind == 4)
            {
                m.id(random, "id", false);
            }
            if (random.nextBoolean())
            {
                m.field("x_" + random.nextInt(100), FuzzInputs.json(random, 2).trim());
            }
            return m;
        }

        private void field(final String key, final String value)
        {
            fields.add(new String[]{key, value});
        }

        private void topics(final Random random)
        {
            switch (random.nextInt(8))
            {
                case 0: valid = false; break;
                case 1: valid = false; field("topics", "[]"); break;
                case 2: valid = false; field("topics", random.nextBoolean() ? "\"a\"" : "{\"0\":\"a\"}"); break;
                default:
                {
                    final List<String> names = new ArrayList<>();
                    final List<String> values = new ArrayList<>();
                    final int n = 1 + random.nextInt(5);
                    for (int i = 0; i < n; i++)
                    {
                        final String name = !names.isEmpty() && random.nextInt(5) == 0 ?
                            names.get(random.nextInt(names.size())) : FuzzInputs.validName(random);
                        names.add(name);
                        values.add(quoted(random, name));
                    }
                    if (random.nextInt(3) == 0)
                    {
                        valid = false;
                        values.add(random.nextInt(values.size() + 1), random.nextBoolean() ?
                            quoted(random, FuzzInputs.invalidName(random)) : nonString(random));
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
                case 1: valid = false; field("group", quoted(random, FuzzInputs.invalidName(random))); break;
                case 2: valid = false; field("group", nonString(random)); break;
                default:
                    group = FuzzInputs.validName(random);
                    field("group", quoted(random, group));
            }
        }

        private void id(final Random random, final String key, final boolean optional)
        {
            final int choice = random.nextInt(10);
            if (choice == 0)
            {
                valid &= optional;
                return;
            }
            if (choice <= 5)
            {
                final long[] edges = {0, 1, MAX_ID, MAX_ID - 1, 1000};
                final long id = random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextLong() & MAX_ID;
                field(key, random.nextInt(4) == 0 ? id + ".0" : Long.toString(id));
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
            final String[] bad = {"-1", "1.5", "-0.5", Long.toString(MAX_ID + 1), "1e400", "1e-400", "\"3\"", "null",
                "true", "[]", "{}"};
            field(key, bad[random.nextInt(bad.length)]);
        }

        private void epoch(final Random random)
        {
            switch (random.nextInt(4))
            {
                case 0: break;
                case 1: valid = false; field("epoch", nonString(random)); break;
                default:
                    epoch = FuzzInputs.text(random, 20);
                    field("epoch", quoted(random, epoch));
            }
        }

        String json(final Random random)
        {
            final List<String[]> order = new ArrayList<>(fields);
            Collections.shuffle(order, random);
            final StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < order.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                FuzzInputs.whitespace(random, sb);
                sb.append(quoted(random, order.get(i)[0])).append(':');
                FuzzInputs.whitespace(random, sb);
                sb.append(order.get(i)[1]);
            }
            return sb.append('}').toString();
        }

        private static String quoted(final Random random, final String s)
        {
            return FuzzInputs.jsonString(random, s);
        }

        private static String nonString(final Random random)
        {
            final String[] values = {"1", "-2.5", "true", "null", "[]", "{}", "[\"a\"]", "0"};
            return values[random.nextInt(values.length)];
        }
    }
}
