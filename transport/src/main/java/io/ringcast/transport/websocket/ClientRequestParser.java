package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.codec.JsonParser;
import io.ringcast.transport.codec.JsonText;
import io.ringcast.transport.codec.TargetName;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns a client's text message into a {@link ClientRequest}. All or nothing: any invalid part gives
 * {@link ClientRequest.Op#INVALID} with a message that names the problem. Unknown extra fields are ignored.
 */
public final class ClientRequestParser
{
    /** Ids are below 2^53 so that JSON numbers carry them exactly. */
    public static final long MAX_ID = (1L << 53) - 1;

    private ClientRequestParser()
    {
    }

    public static ClientRequest parse(final String text)
    {
        final Object root;
        try
        {
            root = JsonParser.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            return ClientRequest.invalid(ex.getMessage());
        }
        if (!(root instanceof Map))
        {
            return ClientRequest.invalid("a request must be a JSON object");
        }
        final Map<?, ?> map = (Map<?, ?>)root;
        final Object op = map.get("op");
        if (!(op instanceof String))
        {
            return ClientRequest.invalid("missing or non-string \"op\"");
        }
        try
        {
            switch ((String)op)
            {
                case "subscribe":
                    return ClientRequest.subscribe(topics(map), optionalId(map, "from"), optionalEpoch(map));
                case "unsubscribe":
                    return ClientRequest.unsubscribe(topics(map));
                case "join":
                    return ClientRequest.join(name(map.get("group"), "group"), optionalId(map, "from"), optionalEpoch(map));
                case "leave":
                    return ClientRequest.leave(name(map.get("group"), "group"));
                case "ack":
                {
                    final long id = optionalId(map, "id");
                    if (id == ClientRequest.NO_FROM)
                    {
                        throw new IllegalArgumentException("\"id\" is required for ack");
                    }
                    return ClientRequest.ack(id);
                }
                default:
                    return ClientRequest.invalid("unknown op " + quoteShort((String)op));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return ClientRequest.invalid(ex.getMessage());
        }
    }

    /** Parse a comma separated topic list from a query string; throws IllegalArgumentException when invalid. */
    public static List<String> topicList(final String commaSeparated)
    {
        if (commaSeparated.indexOf(',') < 0)
        {
            return validateTopics(List.of(commaSeparated));
        }
        final List<String> topics = new ArrayList<>();
        for (final String topic : commaSeparated.split(",", -1))
        {
            topics.add(topic);
        }
        return validateTopics(topics);
    }

    /** Parse a resume id (from a query string or op); throws IllegalArgumentException when invalid. */
    public static long parseId(final String text, final String field)
    {
        try
        {
            final long id = Long.parseLong(text);
            if (id < 0 || id > MAX_ID)
            {
                throw new IllegalArgumentException("\"" + field + "\" must be a non-negative integer below 2^53");
            }
            return id;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-negative integer below 2^53");
        }
    }

    public static String validName(final String name, final String field)
    {
        if (!TargetName.isValid(name))
        {
            throw new IllegalArgumentException(
                "invalid " + field + " name: 1 to 255 characters of [A-Za-z0-9._:/-] required");
        }
        return name;
    }

    private static List<String> topics(final Map<?, ?> map)
    {
        final Object value = map.get("topics");
        if (!(value instanceof List))
        {
            throw new IllegalArgumentException("\"topics\" must be a non-empty array of topic names");
        }
        final List<String> topics = new ArrayList<>();
        for (final Object topic : (List<?>)value)
        {
            if (!(topic instanceof String))
            {
                throw new IllegalArgumentException("\"topics\" must contain only strings");
            }
            topics.add((String)topic);
        }
        return validateTopics(topics);
    }

    private static List<String> validateTopics(final List<String> topics)
    {
        if (topics.isEmpty())
        {
            throw new IllegalArgumentException("\"topics\" must be a non-empty array of topic names");
        }
        if (topics.size() == 1)
        {
            // The usual request, once per connection: no set to drop duplicates from.
            return List.of(validName(topics.get(0), "topic"));
        }
        final LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (final String topic : topics)
        {
            unique.add(validName(topic, "topic"));
        }
        return new ArrayList<>(unique);
    }

    private static String name(final Object value, final String field)
    {
        if (!(value instanceof String))
        {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return validName((String)value, field);
    }

    private static long optionalId(final Map<?, ?> map, final String field)
    {
        if (!map.containsKey(field))
        {
            return ClientRequest.NO_FROM;
        }
        final Object value = map.get(field);
        if (!(value instanceof BigDecimal))
        {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-negative integer");
        }
        final BigDecimal number = (BigDecimal)value;
        try
        {
            final long id = number.longValueExact();
            if (id < 0 || id > MAX_ID)
            {
                throw new IllegalArgumentException("\"" + field + "\" must be a non-negative integer below 2^53");
            }
            return id;
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-negative integer below 2^53");
        }
    }

    private static String optionalEpoch(final Map<?, ?> map)
    {
        if (!map.containsKey("epoch"))
        {
            return null;
        }
        final Object value = map.get("epoch");
        if (!(value instanceof String))
        {
            throw new IllegalArgumentException("\"epoch\" must be a string");
        }
        return (String)value;
    }

    private static String quoteShort(final String s)
    {
        return JsonText.quote(s.length() > 64 ? s.substring(0, 64) + "..." : s);
    }
}
