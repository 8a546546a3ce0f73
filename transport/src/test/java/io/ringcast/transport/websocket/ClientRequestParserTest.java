package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.ClientRequest.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientRequestParserTest
{
    @Test
    void shouldParseSubscribeWithoutResume()
    {
        final ClientRequest request = ClientRequestParser.parse("{\"op\":\"subscribe\",\"topics\":[\"a\",\"b.c:d/e-f_g\"]}");

        assertEquals(Op.SUBSCRIBE, request.op());
        assertEquals(List.of("a", "b.c:d/e-f_g"), request.topics());
        assertEquals(ClientRequest.NO_FROM, request.from());
        assertNull(request.epoch());
        assertNull(request.error());
    }

    @Test
    void shouldParseSubscribeWithFromAndEpoch()
    {
        final ClientRequest request =
            ClientRequestParser.parse("{\"op\":\"subscribe\",\"topics\":[\"a\",\"b\"],\"from\":123,\"epoch\":\"E\"}");

        assertEquals(Op.SUBSCRIBE, request.op());
        assertEquals(List.of("a", "b"), request.topics());
        assertEquals(123, request.from());
        assertEquals("E", request.epoch());
    }

    @Test
    void shouldAcceptFromZeroAndTheLargestId()
    {
        assertEquals(0, ClientRequestParser.parse("{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":0}").from());
        final long maxId = (1L << 53) - 1;
        assertEquals(maxId, ClientRequestParser.MAX_ID);
        assertEquals(maxId, ClientRequestParser.parse(
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":" + maxId + "}").from());
    }

    @Test
    void shouldParseUnsubscribe()
    {
        final ClientRequest request = ClientRequestParser.parse("{\"op\":\"unsubscribe\",\"topics\":[\"a\"]}");

        assertEquals(Op.UNSUBSCRIBE, request.op());
        assertEquals(List.of("a"), request.topics());
    }

    @Test
    void shouldParseJoinWithAndWithoutResume()
    {
        final ClientRequest plain = ClientRequestParser.parse("{\"op\":\"join\",\"group\":\"g\"}");
        assertEquals(Op.JOIN, plain.op());
        assertEquals("g", plain.group());
        assertEquals(ClientRequest.NO_FROM, plain.from());
        assertNull(plain.epoch());

        final ClientRequest resume = ClientRequestParser.parse("{\"op\":\"join\",\"group\":\"g\",\"from\":123,\"epoch\":\"E\"}");
        assertEquals(Op.JOIN, resume.op());
        assertEquals("g", resume.group());
        assertEquals(123, resume.from());
        assertEquals("E", resume.epoch());
    }

    @Test
    void shouldParseLeave()
    {
        final ClientRequest request = ClientRequestParser.parse("{\"op\":\"leave\",\"group\":\"g\"}");

        assertEquals(Op.LEAVE, request.op());
        assertEquals("g", request.group());
    }

    @Test
    void shouldParseAck()
    {
        final ClientRequest request = ClientRequestParser.parse("{\"op\":\"ack\",\"id\":123}");

        assertEquals(Op.ACK, request.op());
        assertEquals(123, request.ackId());
    }

    @Test
    void shouldIgnoreUnknownExtraFields()
    {
        final ClientRequest request = ClientRequestParser.parse(
            "{\"extra\":{\"x\":[1,2,{}]},\"op\":\"subscribe\",\"topics\":[\"a\"],\"v\":2,\"from\":5,\"note\":null}");

        assertEquals(Op.SUBSCRIBE, request.op());
        assertEquals(List.of("a"), request.topics());
        assertEquals(5, request.from());
        assertEquals(Op.ACK, ClientRequestParser.parse("{\"op\":\"ack\",\"id\":1,\"from\":\"ignored\"}").op());
        assertEquals(Op.LEAVE, ClientRequestParser.parse("{\"op\":\"leave\",\"group\":\"g\",\"topics\":7}").op());
    }

    @Test
    void shouldDeduplicateTopicsKeepingFirstOrder()
    {
        final ClientRequest request = ClientRequestParser.parse("{\"op\":\"subscribe\",\"topics\":[\"b\",\"a\",\"b\",\"c\",\"a\"]}");

        assertEquals(List.of("b", "a", "c"), request.topics());
        assertEquals(List.of("x"), ClientRequestParser.parse("{\"op\":\"unsubscribe\",\"topics\":[\"x\",\"x\"]}").topics());
    }

    @Test
    void shouldAcceptNamesOf255Characters()
    {
        final String name = "n".repeat(255);
        assertEquals(List.of(name), ClientRequestParser.parse("{\"op\":\"subscribe\",\"topics\":[\"" + name + "\"]}").topics());
        assertEquals(name, ClientRequestParser.parse("{\"op\":\"join\",\"group\":\"" + name + "\"}").group());
    }

    @Test
    void shouldAcceptUnicodeEscapesThatSpellAValidName()
    {
        assertEquals(List.of("ab"), ClientRequestParser.parse("{\"op\":\"subscribe\",\"topics\":[\"\\u0061b\"]}").topics());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // not JSON
        "", "subscribe", "{\"op\":\"subscribe\",\"topics\":[\"a\"]", "{op:\"subscribe\"}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\"]} {}", "{\"op\":\"subscribe\",\"topics\":[\"\\u+061\"]}",
        // not an object
        "[]", "[{\"op\":\"subscribe\",\"topics\":[\"a\"]}]", "\"subscribe\"", "42", "null", "true",
        // missing or unknown op
        "{}", "{\"topics\":[\"a\"]}", "{\"op\":\"publish\",\"topics\":[\"a\"]}", "{\"op\":\"SUBSCRIBE\",\"topics\":[\"a\"]}",
        "{\"op\":\"\"}",
        // wrong types
        "{\"op\":1,\"topics\":[\"a\"]}", "{\"op\":null}", "{\"op\":[\"subscribe\"]}",
        "{\"op\":\"subscribe\",\"topics\":\"a\"}", "{\"op\":\"subscribe\",\"topics\":[1]}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\",null]}", "{\"op\":\"subscribe\",\"topics\":[[\"a\"]]}",
        "{\"op\":\"subscribe\",\"topics\":{\"a\":1}}", "{\"op\":\"subscribe\"}", "{\"op\":\"unsubscribe\"}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":\"5\"}", "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":null}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":true}", "{\"op\":\"join\"}", "{\"op\":\"join\",\"group\":1}",
        "{\"op\":\"join\",\"group\":[\"g\"]}", "{\"op\":\"leave\"}", "{\"op\":\"leave\",\"group\":null}",
        "{\"op\":\"ack\"}", "{\"op\":\"ack\",\"id\":\"1\"}", "{\"op\":\"ack\",\"id\":-1}", "{\"op\":\"ack\",\"id\":1.5}",
        // empty topics
        "{\"op\":\"subscribe\",\"topics\":[]}", "{\"op\":\"unsubscribe\",\"topics\":[]}",
        // invalid names
        "{\"op\":\"subscribe\",\"topics\":[\"\"]}", "{\"op\":\"subscribe\",\"topics\":[\"a b\"]}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\",\"b*\"]}", "{\"op\":\"subscribe\",\"topics\":[\"caf\u00e9\"]}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\\u0000\"]}", "{\"op\":\"unsubscribe\",\"topics\":[\"a,b\"]}",
        "{\"op\":\"join\",\"group\":\"\"}", "{\"op\":\"join\",\"group\":\"g?\"}", "{\"op\":\"leave\",\"group\":\"g h\"}",
        // from out of range or not an integer
        "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":-1}", "{\"op\":\"join\",\"group\":\"g\",\"from\":-5}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1.5}", "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":0.1}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":9007199254740992}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":9223372036854775808}",
        "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1e300}", "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1e-300}",
        // epoch not a string
        "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"epoch\":5}", "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"epoch\":null}",
        "{\"op\":\"join\",\"group\":\"g\",\"from\":1,\"epoch\":[\"E\"]}"})
    void shouldRejectInvalidRequestWithAReason(final String text)
    {
        final ClientRequest request = ClientRequestParser.parse(text);

        assertEquals(Op.INVALID, request.op(), () -> "accepted: " + text);
        assertNotNull(request.error());
        assertFalse(request.error().isBlank());
        assertEquals(List.of(), request.topics());
        assertNull(request.group());
    }

    @Test
    void shouldRejectNameOf256Characters()
    {
        final String name = "n".repeat(256);

        assertInvalid("{\"op\":\"subscribe\",\"topics\":[\"" + name + "\"]}");
        assertInvalid("{\"op\":\"subscribe\",\"topics\":[\"a\",\"" + name + "\"]}");
        assertInvalid("{\"op\":\"join\",\"group\":\"" + name + "\"}");
        assertInvalid("{\"op\":\"leave\",\"group\":\"" + name + "\"}");
    }

    @Test
    void shouldRejectFromAtTwoToThe53()
    {
        final long twoTo53 = 1L << 53;
        assertInvalid("{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":" + twoTo53 + "}");
        assertInvalid("{\"op\":\"join\",\"group\":\"g\",\"from\":" + twoTo53 + "}");
        assertInvalid("{\"op\":\"ack\",\"id\":" + twoTo53 + "}");
    }

    @Test
    void shouldRejectFractionalFrom()
    {
        assertInvalid("{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1.5}");
        assertInvalid("{\"op\":\"join\",\"group\":\"g\",\"from\":1.5}");
    }

    @Test
    void shouldNameTheUnknownOpInTheError()
    {
        final ClientRequest request = ClientRequestParser.parse("{\"op\":\"publish\"}");

        assertEquals(Op.INVALID, request.op());
        assertEquals(true, request.error().contains("publish"), request.error());
    }

    @Test
    void shouldParseQueryTopicListAndRejectEmptyParts()
    {
        assertEquals(List.of("a", "b"), ClientRequestParser.topicList("a,b,a"));
        assertThrows(IllegalArgumentException.class, () -> ClientRequestParser.topicList(""));
        assertThrows(IllegalArgumentException.class, () -> ClientRequestParser.topicList("a,,b"));
        assertThrows(IllegalArgumentException.class, () -> ClientRequestParser.topicList("a,"));
    }

    @Test
    void shouldParseQueryIdWithinRange()
    {
        assertEquals(0, ClientRequestParser.parseId("0", "from"));
        assertEquals(ClientRequestParser.MAX_ID, ClientRequestParser.parseId(Long.toString(ClientRequestParser.MAX_ID), "from"));
        assertThrows(IllegalArgumentException.class, () -> ClientRequestParser.parseId("-1", "from"));
        assertThrows(IllegalArgumentException.class, () -> ClientRequestParser.parseId("1.5", "from"));
        assertThrows(IllegalArgumentException.class, () -> ClientRequestParser.parseId("x", "from"));
        assertThrows(IllegalArgumentException.class,
            () -> ClientRequestParser.parseId(Long.toString(ClientRequestParser.MAX_ID + 1), "from"));
    }

    private static void assertInvalid(final String text)
    {
        final ClientRequest request = ClientRequestParser.parse(text);
        assertEquals(Op.INVALID, request.op(), () -> "accepted: " + text);
        assertFalse(request.error() == null || request.error().isEmpty());
    }
}
