package io.ringcast.transport.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8ValidatorTest
{
    @Test
    void shouldAcceptEmptyInput()
    {
        assertTrue(isValid(new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hello, world",
        "\u0000\u007f",
        "caf\u00e9 \u00ff \u0080 \u07ff",
        "\u0800 \u20ac \ud7ff \ue000 \uffff",
        "\ud800\udc00 \ud83d\ude00 \udbff\udfff",
        "mixed: a\u00e9\u20ac\ud83d\ude00z"})
    void shouldAcceptWellFormedText(final String text)
    {
        assertTrue(isValid(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldAcceptBoundaryCodePointsOfEachLength()
    {
        assertTrue(isValid(bytes(0x7F)));
        assertTrue(isValid(bytes(0xC2, 0x80)));
        assertTrue(isValid(bytes(0xDF, 0xBF)));
        assertTrue(isValid(bytes(0xE0, 0xA0, 0x80)));
        assertTrue(isValid(bytes(0xED, 0x9F, 0xBF)));
        assertTrue(isValid(bytes(0xEE, 0x80, 0x80)));
        assertTrue(isValid(bytes(0xEF, 0xBF, 0xBF)));
        assertTrue(isValid(bytes(0xF0, 0x90, 0x80, 0x80)));
        assertTrue(isValid(bytes(0xF4, 0x8F, 0xBF, 0xBF)));
    }

    @Test
    void shouldRejectOverlongUtf8()
    {
        assertFalse(isValid(bytes(0xC0, 0x80)), "overlong NUL");
        assertFalse(isValid(bytes(0xC0, 0xAF)), "overlong '/'");
        assertFalse(isValid(bytes(0xC1, 0xBF)), "overlong U+007F");
        assertFalse(isValid(bytes(0xE0, 0x80, 0xAF)), "3-byte overlong '/'");
        assertFalse(isValid(bytes(0xE0, 0x9F, 0xBF)), "3-byte overlong U+07FF");
        assertFalse(isValid(bytes(0xF0, 0x80, 0x80, 0xAF)), "4-byte overlong '/'");
        assertFalse(isValid(bytes(0xF0, 0x8F, 0xBF, 0xBF)), "4-byte overlong U+FFFF");
    }

    @Test
    void shouldRejectEncodedSurrogates()
    {
        assertFalse(isValid(bytes(0xED, 0xA0, 0x80)), "U+D800");
        assertFalse(isValid(bytes(0xED, 0xAF, 0xBF)), "U+DBFF");
        assertFalse(isValid(bytes(0xED, 0xB0, 0x80)), "U+DC00");
        assertFalse(isValid(bytes(0xED, 0xBF, 0xBF)), "U+DFFF");
        assertFalse(isValid(bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80)), "CESU-8 surrogate pair");
    }

    @Test
    void shouldRejectCodePointsAboveUnicodeRange()
    {
        assertFalse(isValid(bytes(0xF4, 0x90, 0x80, 0x80)), "U+110000");
        assertFalse(isValid(bytes(0xF5, 0x80, 0x80, 0x80)));
        assertFalse(isValid(bytes(0xF7, 0xBF, 0xBF, 0xBF)));
        assertFalse(isValid(bytes(0xF8, 0x88, 0x80, 0x80, 0x80)), "5-byte form");
        assertFalse(isValid(bytes(0xFC, 0x84, 0x80, 0x80, 0x80, 0x80)), "6-byte form");
        assertFalse(isValid(bytes(0xFE)));
        assertFalse(isValid(bytes(0xFF)));
    }

    @Test
    void shouldRejectTruncatedSequences()
    {
        assertFalse(isValid(bytes(0xC3)));
        assertFalse(isValid(bytes(0xE2, 0x82)));
        assertFalse(isValid(bytes(0xE2)));
        assertFalse(isValid(bytes(0xF0, 0x9F, 0x98)));
        assertFalse(isValid(bytes(0xF0, 0x9F)));
        assertFalse(isValid(bytes(0xF0)));
        assertFalse(isValid(bytes('a', 'b', 0xE2, 0x82)), "truncated at the end of longer input");
    }

    @Test
    void shouldRejectSequenceCutByTheLengthEvenWhenTheBufferContinues()
    {
        final byte[] euro = bytes('x', 0xE2, 0x82, 0xAC);
        final UnsafeBuffer buffer = new UnsafeBuffer(euro);
        assertTrue(Utf8Validator.isValid(buffer, 0, 4));
        assertFalse(Utf8Validator.isValid(buffer, 0, 3));
        assertFalse(Utf8Validator.isValid(buffer, 0, 2));
        assertTrue(Utf8Validator.isValid(buffer, 1, 3));
    }

    @Test
    void shouldRejectBadContinuationBytes()
    {
        assertFalse(isValid(bytes(0x80)), "lone continuation");
        assertFalse(isValid(bytes(0xBF)), "lone continuation");
        assertFalse(isValid(bytes(0xC3, 0x41)), "ASCII instead of continuation");
        assertFalse(isValid(bytes(0xC3, 0xC3)), "lead instead of continuation");
        assertFalse(isValid(bytes(0xE2, 0x82, 0x41)));
        assertFalse(isValid(bytes(0xE2, 0x41, 0xAC)));
        assertFalse(isValid(bytes(0xF0, 0x9F, 0x98, 0x41)));
        assertFalse(isValid(bytes(0xF0, 0x9F, 0x41, 0x80)));
        assertFalse(isValid(bytes(0xF0, 0x41, 0x98, 0x80)));
        assertFalse(isValid(bytes(0xC3, 0xA9, 0xA9)), "extra continuation after a complete sequence");
    }

    @Test
    void shouldAgreeWithTheJdkDecoderOnEveryTwoAndThreeByteSequence()
    {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        final byte[] two = new byte[2];
        for (int b0 = 0x80; b0 <= 0xFF; b0++)
        {
            for (int b1 = 0; b1 <= 0xFF; b1++)
            {
                two[0] = (byte)b0;
                two[1] = (byte)b1;
                assertTrue(isValid(two) == jdkAccepts(decoder, two), () -> hex(two));
            }
        }
        final byte[] three = new byte[3];
        for (int b0 = 0xE0; b0 <= 0xEF; b0++)
        {
            for (int b1 = 0x70; b1 <= 0xCF; b1++)
            {
                for (final int b2 : new int[] {0x41, 0x80, 0xBF, 0xC0})
                {
                    three[0] = (byte)b0;
                    three[1] = (byte)b1;
                    three[2] = (byte)b2;
                    assertTrue(isValid(three) == jdkAccepts(decoder, three), () -> hex(three));
                }
            }
        }
    }

    private static boolean jdkAccepts(final CharsetDecoder decoder, final byte[] input)
    {
        try
        {
            decoder.reset().decode(ByteBuffer.wrap(input));
            return true;
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }

    private static boolean isValid(final byte[] input)
    {
        // Surround with bytes that would change the verdict if offset or length were ignored:
        // a lead byte before, continuation bytes after.
        final byte[] padded = new byte[input.length + 4];
        padded[0] = 'a';
        padded[1] = (byte)0xF0;
        padded[padded.length - 2] = (byte)0x80;
        padded[padded.length - 1] = (byte)0x80;
        System.arraycopy(input, 0, padded, 2, input.length);
        return Utf8Validator.isValid(new UnsafeBuffer(padded), 2, input.length);
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = (byte)values[i];
        }
        return result;
    }

    private static String hex(final byte[] input)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : input)
        {
            sb.append(String.format("%02X ", b & 0xFF));
        }
        return sb.toString().trim();
    }
}
