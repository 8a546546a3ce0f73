package io.ringcast.transport.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTextTest
{
    @Test
    void shouldCopyPlainAsciiUnchanged()
    {
        assertEquals("hello, world / {}[]:", escape("hello, world / {}[]:"));
    }

    @Test
    void shouldEscapeQuoteAndBackslash()
    {
        assertEquals("a\\\"b\\\\c", escape("a\"b\\c"));
    }

    @Test
    void shouldUseShortEscapesForCommonControlCharacters()
    {
        assertEquals("\\n\\r\\t\\b\\f", escape("\n\r\t\b\f"));
    }

    @Test
    void shouldEscapeOtherControlCharactersAsLowercaseHexUnicodeEscapes()
    {
        assertEquals("\\u0000", escape("\u0000"));
        assertEquals("\\u0001", escape("\u0001"));
        assertEquals("\\u000b", escape("\u000b"));
        assertEquals("\\u000e", escape("\u000e"));
        assertEquals("\\u001f", escape("\u001f"));
        assertEquals("\u0020\u007f", escape("\u0020\u007f"));
    }

    @Test
    void shouldCopyMultiByteUtf8AsIs()
    {
        final String text = "caf\u00e9 \u20ac \ud83d\ude00 \u07ff \uffff";
        final byte[] src = text.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[src.length]);
        final int end = JsonText.escape(src, 0, src.length, dst, 0);

        assertEquals(src.length, end);
        final byte[] written = new byte[end];
        dst.getBytes(0, written);
        assertEquals(text, new String(written, StandardCharsets.UTF_8));
    }

    @Test
    void shouldAgreeWithEscapedLengthForEveryByteValue()
    {
        for (int b = 0; b < 256; b++)
        {
            final byte[] src = {(byte)b};
            final UnsafeBuffer dst = new UnsafeBuffer(new byte[8]);
            final int end = JsonText.escape(src, 0, 1, dst, 0);
            assertEquals(JsonText.escapedLength(src, 0, 1), end, "byte " + b);
        }
    }

    @Test
    void shouldHonourOffsetsAndReturnTheIndexAfterTheLastByte()
    {
        final byte[] src = "xx\"a\nyy".getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[32]);
        dst.setMemory(0, 32, (byte)'#');

        final int end = JsonText.escape(src, 2, 3, dst, 5);

        assertEquals(5 + JsonText.escapedLength(src, 2, 3), end);
        assertEquals("#####\\\"a\\n#", dst.getStringWithoutLengthAscii(0, end + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "plain", "quote \" backslash \\ slash /", "\u0000\u0001\u0002\u001e\u001f", "line\nbreak\r\ttab\b\f",
        "caf\u00e9 \u20ac \ud83d\ude00", "\\u0041 is not an escape here", "\"\"\"\\\\\\"})
    void shouldRoundTripThroughJsonParser(final String text)
    {
        assertEquals(text, JsonParser.parse("\"" + escape(text) + "\""));
    }

    @Test
    void shouldRoundTripRandomTextThroughJsonParser()
    {
        final Random random = new Random(42);
        final int[] pool = {0x00, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, '"', '\\', '/', 'a', 'Z', '~', 0x7F, 0xE9, 0x20AC,
            0xFFFF, 0x1F600, 0x10FFFF};
        for (int n = 0; n < 500; n++)
        {
            final StringBuilder sb = new StringBuilder();
            final int length = random.nextInt(40);
            for (int i = 0; i < length; i++)
            {
                sb.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            final String text = sb.toString();
            final byte[] src = text.getBytes(StandardCharsets.UTF_8);
            final int escapedLength = JsonText.escapedLength(src, 0, src.length);
            final UnsafeBuffer dst = new UnsafeBuffer(new byte[escapedLength + 2]);
            dst.putByte(0, (byte)'"');
            final int end = JsonText.escape(src, 0, src.length, dst, 1);
            assertEquals(1 + escapedLength, end);
            dst.putByte(end, (byte)'"');

            final byte[] json = new byte[end + 1];
            dst.getBytes(0, json);
            final UnsafeBuffer jsonBuffer = new UnsafeBuffer(json);
            assertEquals(true, JsonValidator.isValid(jsonBuffer, 0, json.length), text);
            assertEquals(text, JsonParser.parse(new String(json, StandardCharsets.UTF_8)));
        }
    }

    @Test
    void shouldQuoteJavaStringsAsParseableJsonLiterals()
    {
        final String text = "a\"b\\c\nd\re\tf\u0000\u001f\u00e9\ud83d\ude00";
        final String quoted = JsonText.quote(text);
        assertEquals('"', quoted.charAt(0));
        assertEquals('"', quoted.charAt(quoted.length() - 1));
        assertEquals(text, JsonParser.parse(quoted));
    }

    private static String escape(final String text)
    {
        final byte[] src = text.getBytes(StandardCharsets.UTF_8);
        final int length = JsonText.escapedLength(src, 0, src.length);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[length]);
        final int end = JsonText.escape(src, 0, src.length, dst, 0);
        assertEquals(length, end, "escape() and escapedLength() disagree");
        final byte[] written = new byte[end];
        dst.getBytes(0, written);
        return new String(written, StandardCharsets.UTF_8);
    }
}
