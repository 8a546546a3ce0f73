package io.ringcast.transport.websocket;

import io.ringcast.transport.codec.JsonParser;
import io.ringcast.transport.codec.JsonValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameEncoderTest
{
    private final FrameEncoder encoder = new FrameEncoder();

    @Test
    void shouldEncodeTopicMessageWithJsonPayload()
    {
        final int length = encodeTopic(42, "prices.eu", true, "{\"bid\":1.5,\"ask\":[1,2]}", false);

        final Frame frame = frame(length);
        assertEquals(WebSocketFrames.OPCODE_TEXT, frame.opcode);
        assertEquals("{\"id\":42,\"topic\":\"prices.eu\",\"data\":{\"bid\":1.5,\"ask\":[1,2]}}", frame.body);
    }

    @Test
    void shouldEncodeGroupMessageWithJsonPayload()
    {
        final int length = encode(7, true, "workers", true, "[true,null]", false);

        assertEquals("{\"id\":7,\"group\":\"workers\",\"data\":[true,null]}", frame(length).body);
    }

    @Test
    void shouldEmbedJsonPayloadByteForByte()
    {
        final String payload = " { \"a\" :\t1e3 , \"b\":\"\\u00e9\u00e9\" } ";
        final int length = encodeTopic(1, "t", true, payload, false);

        assertEquals("{\"id\":1,\"topic\":\"t\",\"data\":" + payload + "}", frame(length).body);
    }

    @Test
    void shouldEncodeTextPayloadAsEscapedJsonString()
    {
        final String text = "say \"hi\"\\ \n\t\u0001 caf\u00e9 \ud83d\ude00";
        final int length = encodeTopic(3, "chat", false, text, false);

        final Frame frame = frame(length);
        assertEquals(
            "{\"id\":3,\"topic\":\"chat\",\"data\":\"say \\\"hi\\\"\\\\ \\n\\t\\u0001 caf\u00e9 \ud83d\ude00\"}", frame.body);
        final Map<?, ?> parsed = (Map<?, ?>)JsonParser.parse(frame.body);
        assertEquals(text, parsed.get("data"));
    }

    @Test
    void shouldEncodeGroupMessageWithTextPayload()
    {
        final int length = encode(9, true, "g", false, "plain", false);

        assertEquals("{\"id\":9,\"group\":\"g\",\"data\":\"plain\"}", frame(length).body);
    }

    @Test
    void shouldEncodeEmptyTextPayload()
    {
        final int length = encodeTopic(1, "t", false, "", false);

        assertEquals("{\"id\":1,\"topic\":\"t\",\"data\":\"\"}", frame(length).body);
    }

    @Test
    void shouldMarkRedeliveredMessages()
    {
        final int topicLength = encodeTopic(5, "a", true, "1", true);
        assertEquals("{\"id\":5,\"topic\":\"a\",\"data\":1,\"redelivered\":true}", frame(topicLength).body);

        final int groupLength = encode(6, true, "g", false, "x", true);
        assertEquals("{\"id\":6,\"group\":\"g\",\"data\":\"x\",\"redelivered\":true}", frame(groupLength).body);
    }

    @Test
    void shouldWriteLargestIdExactly()
    {
        final long maxId = (1L << 53) - 1;
        final int length = encodeTopic(maxId, "t", true, "0", false);

        final Map<?, ?> parsed = (Map<?, ?>)JsonParser.parse(frame(length).body);
        assertEquals(new BigDecimal(maxId), parsed.get("id"));
    }

    @Test
    void shouldUseSevenBitLengthBelow126Bytes()
    {
        for (final int bodyLength : new int[] {30, 125})
        {
            final int length = encodeTopic(1, "t", true, jsonOfBodyLength(bodyLength, "t"), false);
            final Frame frame = frame(length);
            assertEquals(2, frame.headerLength);
            assertEquals(bodyLength, frame.bodyBytes.length);
            assertEquals(2 + bodyLength, length);
        }
    }

    @Test
    void shouldUseSixteenBitLengthFrom126To65535Bytes()
    {
        for (final int bodyLength : new int[] {126, 127, 1000, 65_535})
        {
            final int length = encodeTopic(1, "t", true, jsonOfBodyLength(bodyLength, "t"), false);
            final Frame frame = frame(length);
            assertEquals(4, frame.headerLength, "body " + bodyLength);
            assertEquals(bodyLength, frame.bodyBytes.length);
            assertEquals(4 + bodyLength, length);
        }
    }

    @Test
    void shouldUseSixtyFourBitLengthAbove65535Bytes()
    {
        for (final int bodyLength : new int[] {65_536, 200_000})
        {
            final int length = encodeTopic(1, "t", true, jsonOfBodyLength(bodyLength, "t"), false);
            final Frame frame = frame(length);
            assertEquals(10, frame.headerLength, "body " + bodyLength);
            assertEquals(bodyLength, frame.bodyBytes.length);
            assertEquals(10 + bodyLength, length);
            assertTrue(JsonValidator.isValid(new UnsafeBuffer(frame.bodyBytes), 0, frame.bodyBytes.length));
        }
    }

    @Test
    void shouldGrowForLargeEscapedTextAndStillEncodeSmallFramesAfterwards()
    {
        final String text = "\u0001".repeat(70_000);
        final int bigLength = encodeTopic(2, "t", false, text, false);
        final Frame big = frame(bigLength);
        assertEquals(10, big.headerLength);
        assertEquals(text, ((Map<?, ?>)JsonParser.parse(big.body)).get("data"));

        final int smallLength = encodeTopic(3, "t", true, "{}", false);
        assertEquals("{\"id\":3,\"topic\":\"t\",\"data\":{}}", frame(smallLength).body);
    }

    @Test
    void shouldEncodeControlReplyText()
    {
        final String json = "{\"type\":\"subscribed\",\"topics\":[\"a\"],\"head\":0,\"epoch\":\"e\u00e9\"}";
        final int length = encoder.encodeText(json);

        final Frame frame = frame(length);
        assertEquals(WebSocketFrames.OPCODE_TEXT, frame.opcode);
        assertEquals(json, frame.body);
    }

    @Test
    void shouldEncodeAsciiRepliesOfAnyLengthAndNonAsciiOnesAfterThem()
    {
        final String big = "{\"type\":\"error\",\"message\":\"" + "x".repeat(100_000) + "\"}";
        assertEquals(big, frame(encoder.encodeText(big)).body);
        final String small = "{\"type\":\"pong\"}";
        assertEquals(small, frame(encoder.encodeText(small)).body);
        final String late = "{\"topics\":[\"" + "a".repeat(300) + "\u00fc\u20ac\"]}";
        assertEquals(late, frame(encoder.encodeText(late)).body);
    }

    @Test
    void shouldEncodeLongestTargetName()
    {
        final String target = "n".repeat(255);
        final int length = encodeTopic(1, target, true, "1", false);

        assertEquals("{\"id\":1,\"topic\":\"" + target + "\",\"data\":1}", frame(length).body);
    }

    private static String jsonOfBodyLength(final int bodyLength, final String topic)
    {
        final int envelope = "{\"id\":1,\"topic\":\"\",\"data\":\"\"}".length() + topic.length();
        return "\"" + "p".repeat(bodyLength - envelope) + "\"";
    }

    private int encodeTopic(
        final long id, final String topic, final boolean json, final String payload, final boolean redelivered)
    {
        return encode(id, false, topic, json, payload, redelivered);
    }

    private int encode(
        final long id,
        final boolean group,
        final String target,
        final boolean json,
        final String payload,
        final boolean redelivered)
    {
        final byte[] targetBytes = target.getBytes(StandardCharsets.US_ASCII);
        final byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        // Arrays longer than the lengths given, to check the lengths are honoured.
        final byte[] targetArray = Arrays.copyOf(targetBytes, targetBytes.length + 3);
        final byte[] payloadArray = Arrays.copyOf(payloadBytes, payloadBytes.length + 3);
        targetArray[targetBytes.length] = '!';
        payloadArray[payloadBytes.length] = '!';
        final int length = encoder.encodeMessage(
            id, group, targetArray, targetBytes.length, json, payloadArray, payloadBytes.length, redelivered);
        assertEquals(length, encoder.frameLength());
        return length;
    }

    private Frame frame(final int frameLength)
    {
        final UnsafeBuffer buffer = encoder.buffer();
        final int offset = encoder.frameOffset();
        final byte[] bytes = new byte[frameLength];
        buffer.getBytes(offset, bytes);

        final int b0 = bytes[0] & 0xFF;
        final int b1 = bytes[1] & 0xFF;
        assertEquals(0x80, b0 & 0xF0, "FIN set, no reserved bits");
        assertEquals(0, b1 & 0x80, "server frames are not masked");
        final int length7 = b1 & 0x7F;
        final int headerLength;
        final long bodyLength;
        if (length7 == 126)
        {
            headerLength = 4;
            bodyLength = ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
            assertTrue(bodyLength >= 126, "shortest length form");
        }
        else if (length7 == 127)
        {
            headerLength = 10;
            long value = 0;
            for (int i = 2; i < 10; i++)
            {
                value = (value << 8) | (bytes[i] & 0xFF);
            }
            bodyLength = value;
            assertTrue(bodyLength > 0xFFFF, "shortest length form");
        }
        else
        {
            headerLength = 2;
            bodyLength = length7;
        }
        assertEquals(frameLength, headerLength + bodyLength, "length in the header matches the frame");

        final byte[] body = Arrays.copyOfRange(bytes, headerLength, frameLength);
        return new Frame(b0 & 0x0F, headerLength, body);
    }

    private static final class Frame
    {
        final int opcode;
        final int headerLength;
        final byte[] bodyBytes;
        final String body;

        Frame(final int opcode, final int headerLength, final byte[] bodyBytes)
        {
            this.opcode = opcode;
            this.headerLength = headerLength;
            this.bodyBytes = bodyBytes;
            this.body = new String(bodyBytes, StandardCharsets.UTF_8);
        }
    }
}
