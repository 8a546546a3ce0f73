package io.ringcast.transport.codec;

import org.agrona.concurrent.UnsafeBuffer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonValidatorTest
{
    private static final String[] VALID_DOCUMENTS = {
        "0",
        "-0",
        "123",
        "-123.456e+7",
        "1E-2",
        "0.5",
        "true",
        "false",
        "null",
        "\"\"",
        "\"plain\"",
        "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"",
        "\"caf\u00e9 \u20ac \ud83d\ude00\"",
        "[]",
        "{}",
        "[1,2,[3,[4,{}]],\"x\",true,false,null]",
        "{\"a\":1,\"b\":[true,null],\"c\":{\"d\":\"e\"},\"\":0}",
        " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } }\n ",
        "{\"op\":\"subscribe\",\"topics\":[\"a\",\"b\"],\"from\":123,\"epoch\":\"E\"}",
        "[-1.0e10,0.0,1e0,2E+3,3e-4]",
        "{\"nested\":{\"deeper\":{\"deepest\":[[[\"\\u0041\"]]]}}}",
        "\"\\u0041\\u00e9\\u20AC\\uFFFF\"",
        "[\"\\u1234\",\"\\uabcd\",{\"\\u0000\":\"\\u001f\"}]",
    };

    @ParameterizedTest
    @ValueSource(strings = {
        "0", "-0", "7", "-7", "10", "1234567890", "0.0", "-0.25", "3.14159", "1e5", "1E5", "1e+5", "1e-5",
        "-1.5E-300", "1e400", "123456789012345678901234567890"})
    void shouldAcceptNumbersAtTopLevel(final String json)
    {
        assertValid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "null", " true ", "\nnull\r\n"})
    void shouldAcceptLiteralsAtTopLevel(final String json)
    {
        assertValid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"\"", "\"abc\"", "\"\\\"\"", "\"\\\\\"", "\"\\/\"", "\"\\b\\f\\n\\r\\t\"", "\"\\u0000\"", "\"\\uABCD\"",
        "\"\\uabcd\"", "\"\\uD83D\\uDE00\"", "\"\\uD800\"", "\"caf\u00e9 \u20ac \ud83d\ude00\"", "\"/ no need to escape\"",
        "\"\u007f is not a control character\""})
    void shouldAcceptStringsWithEscapes(final String json)
    {
        assertValid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]", "{}", "[ ]", "{ }", "[[]]", "[{}]", "{\"a\":[]}", "[1,\"a\",true,false,null,{},[]]",
        "{\"a\":{\"b\":{\"c\":[1,[2,[3]]]}}}", "{\"a\":1,\"a\":2}", "{\"\":\"\"}"})
    void shouldAcceptNestedArraysAndObjects(final String json)
    {
        assertValid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {" 1", "1 ", "\t[\n1\r,\n2 ]\r\n", " { \"a\" : 1 , \"b\" : [ ] } ", "\r\n\t \"x\"\t"})
    void shouldAcceptWhitespaceAroundAndBetweenTokens(final String json)
    {
        assertValid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,]", "[1,2,]", "{\"a\":1,}", "[,]", "[,1]", "{,}", "[1,,2]"})
    void shouldRejectTrailingOrMissingElements(final String json)
    {
        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "01", "-01", "00", "[01]", "1.", "-", "+1", ".5", "1.e5", "1e", "1e+", "1E-", "0x10", "1.5.5", "--1", "NaN",
        "Infinity", "-Infinity", "1 2", "1e5.5"})
    void shouldRejectMalformedNumbers(final String json)
    {
        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tru", "truee", "True", "nul", "NULL", "fals", "undefined", "abc", "'a'", "{a:1}", "[x]"})
    void shouldRejectBareWords(final String json)
    {
        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "\"abc", "\"abc\\\"", "[\"abc]", "{\"a", "{\"a\":\"b}", "\"\\"})
    void shouldRejectUnterminatedStrings(final String json)
    {
        assertInvalid(json);
    }

    @Test
    void shouldRejectEveryControlCharacterInsideAString()
    {
        for (int c = 0; c < 0x20; c++)
        {
            final String json = "\"a" + (char)c + "b\"";
            assertInvalid(json);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"\\x41\"", "\"\\a\"", "\"\\'\"", "\"\\u\"", "\"\\u12\"", "\"\\u123\"", "\"\\u12G4\"", "\"\\uZZZZ\"",
        "\"\\u+123\"", "\"\\u-123\"", "\"\\u 123\"", "\"\\U0041\"", "\"\\0\"",
        "\"\\u\u0660\u0660\u0664\u0661\"", "\"\\u\uff10\uff10\uff14\uff11\"", "\"\\u\uff21\uff22\uff23\uff24\""})
    void shouldRejectBadEscapes(final String json)
    {
        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 2", "{} {}", "[] []", "\"a\" \"b\"", "true false", "{}}", "[]]", "1,2", "null x"})
    void shouldRejectTwoValues(final String json)
    {
        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t\r "})
    void shouldRejectEmptyInput(final String json)
    {
        assertInvalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{", "[", "}", "]", "{\"a\"}", "{\"a\" 1}", "{\"a\":}", "{1:2}", "{\"a\":1 \"b\":2}", "[1 2]", ":", ",",
        "[\"a\":1]", "{\"a\"::1}", "\u00a0 1", "\u000b1", "\u000c1"})
    void shouldRejectStructuralErrors(final String json)
    {
        assertInvalid(json);
    }

    @Test
    void shouldAcceptNestingExactlyAtMaxDepth()
    {
        final int depth = JsonValidator.MAX_DEPTH;
        assertValid("[".repeat(depth) + "]".repeat(depth));
        assertValid("{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1));
    }

    @Test
    void shouldRejectNestingDeeperThanMaxDepth()
    {
        final int depth = JsonValidator.MAX_DEPTH + 1;
        assertInvalid("[".repeat(depth) + "]".repeat(depth));
        assertInvalid("{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1));
        assertInvalid("[{\"a\":".repeat(depth / 2 + 1) + "1" + "}]".repeat(depth / 2 + 1));
    }

    @Test
    void shouldRefuseHostileNestingWithoutExhaustingTheStack()
    {
        final String hostile = "[".repeat(1_000_000);
        final byte[] bytes = hostile.getBytes(StandardCharsets.US_ASCII);
        assertFalse(JsonValidator.isValid(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Test
    void shouldOnlyLookAtTheGivenRange()
    {
        final byte[] bytes = "xx[1,2]yy".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertTrue(JsonValidator.isValid(buffer, 2, 5));
        assertFalse(JsonValidator.isValid(buffer, 2, 4), "cut before the closing bracket");
        assertFalse(JsonValidator.isValid(buffer, 0, 7));
        assertFalse(JsonValidator.isValid(buffer, 2, 6));

        final byte[] number = "12345".getBytes(StandardCharsets.US_ASCII);
        assertTrue(JsonValidator.isValid(new UnsafeBuffer(number), 1, 2));
        final byte[] literal = "truex".getBytes(StandardCharsets.US_ASCII);
        assertTrue(JsonValidator.isValid(new UnsafeBuffer(literal), 0, 4));
        assertFalse(JsonValidator.isValid(new UnsafeBuffer(literal), 0, 3));
        final byte[] escape = "\"\\u0041\"".getBytes(StandardCharsets.US_ASCII);
        assertTrue(JsonValidator.isValid(new UnsafeBuffer(escape), 0, 8));
        assertFalse(JsonValidator.isValid(new UnsafeBuffer(escape), 0, 7));
        assertFalse(JsonValidator.isValid(new UnsafeBuffer(escape), 0, 6));
    }

    @Test
    void shouldAcceptEverySeedDocument()
    {
        for (final String json : VALID_DOCUMENTS)
        {
            assertValid(json);
        }
    }

    @Test
    void shouldAgreeWithJsonParserOnRandomlyMutatedDocuments()
    {
        final Random random = new Random(0x5EED_2024L);
        final byte[] alphabet = "{}[]\",:\\/ \t\r\n0123456789-+.eEtrufalsnbx\u0001\u001f".getBytes(StandardCharsets.ISO_8859_1);
        final List<String> disagreements = new ArrayList<>();
        int comparedCases = 0;
        int validCases = 0;

        for (int n = 0; n < 2_000; n++)
        {
            final byte[] seed = VALID_DOCUMENTS[random.nextInt(VALID_DOCUMENTS.length)].getBytes(StandardCharsets.UTF_8);
            final byte[] mutated = mutate(random, seed, alphabet);
            final UnsafeBuffer buffer = new UnsafeBuffer(mutated);
            if (!Utf8Validator.isValid(buffer, 0, mutated.length))
            {
                continue;
            }
            comparedCases++;
            final boolean validatorSays = JsonValidator.isValid(buffer, 0, mutated.length);
            final boolean parserSays = parserAccepts(new String(mutated, StandardCharsets.UTF_8));
            if (validatorSays)
            {
                validCases++;
            }
            if (validatorSays != parserSays)
            {
                disagreements.add(
                    "validator=" + validatorSays + " parser=" + parserSays + " input=" +
                    JsonText.quote(new String(mutated, StandardCharsets.UTF_8)));
            }
        }

        assertTrue(comparedCases > 1_000, "too few valid UTF-8 cases: " + comparedCases);
        assertTrue(validCases > 50 && validCases < comparedCases - 50, "mutations should give both verdicts");
        assertEquals(List.of(), disagreements);
    }

    /**
     * Jackson, an independent and widely used parser, is the oracle: on random mutations of the seed documents
     * (and any byte, not only JSON's alphabet) the validator accepts exactly what Jackson reads as one JSON value
     * with nothing after it. Inputs that are not valid UTF-8 are left out: the node checks UTF-8 first.
     */
    @Test
    void shouldAgreeWithJacksonOnRandomlyMutatedDocuments() throws IOException
    {
        final Random random = new Random(0x0AC1E_2026L);
        final byte[] alphabet = new byte[256];
        for (int b = 0; b < alphabet.length; b++)
        {
            alphabet[b] = (byte)b;
        }
        final byte[] jsonAlphabet = "{}[]\",:\\/ \t\r\n0123456789-+.eEtrufalsnbx\u0001\u001f".getBytes(StandardCharsets.ISO_8859_1);
        final JsonFactory jackson = JsonFactory.builder().build();
        final List<String> disagreements = new ArrayList<>();
        int comparedCases = 0;
        int validCases = 0;
        for (int n = 0; n < 20_000; n++)
        {
            final byte[] seed = VALID_DOCUMENTS[random.nextInt(VALID_DOCUMENTS.length)].getBytes(StandardCharsets.UTF_8);
            final byte[] mutated = mutate(random, seed, random.nextInt(4) == 0 ? alphabet : jsonAlphabet);
            final UnsafeBuffer buffer = new UnsafeBuffer(mutated);
            if (!Utf8Validator.isValid(buffer, 0, mutated.length))
            {
                continue;
            }
            comparedCases++;
            final boolean validatorSays = JsonValidator.isValid(buffer, 0, mutated.length);
            final boolean jacksonSays = jacksonAccepts(jackson, mutated);
            validCases += validatorSays ? 1 : 0;
            if (validatorSays != jacksonSays && disagreements.size() < 20)
            {
                disagreements.add("validator=" + validatorSays + " jackson=" + jacksonSays + " input=" +
                    JsonText.quote(new String(mutated, StandardCharsets.UTF_8)));
            }
        }
        assertTrue(comparedCases > 10_000, "too few valid UTF-8 cases: " + comparedCases);
        assertTrue(validCases > 500 && validCases < comparedCases - 500, "mutations should give both verdicts");
        assertEquals(List.of(), disagreements);
    }

    private static boolean jacksonAccepts(final JsonFactory jackson, final byte[] json) throws IOException
    {
        try (com.fasterxml.jackson.core.JsonParser parser = jackson.createParser(json))
        {
            if (parser.nextToken() == null)
            {
                return false; // empty or whitespace only: not a JSON text
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        }
        catch (final JsonProcessingException ex)
        {
            return false;
        }
    }

    private static byte[] mutate(final Random random, final byte[] seed, final byte[] alphabet)
    {
        byte[] bytes = seed.clone();
        final int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && bytes.length > 0; m++)
        {
            final int at = random.nextInt(bytes.length);
            switch (random.nextInt(5))
            {
                case 0:
                    bytes[at] = alphabet[random.nextInt(alphabet.length)];
                    break;
                case 1:
                    bytes[at] = (byte)(bytes[at] ^ (1 << random.nextInt(8)));
                    break;
                case 2:
                    bytes = Arrays.copyOf(bytes, at);
                    break;
                case 3:
                {
                    final byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                    break;
                }
                default:
                {
                    final byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = alphabet[random.nextInt(alphabet.length)];
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
            }
        }
        return bytes;
    }

    private static boolean parserAccepts(final String json)
    {
        try
        {
            JsonParser.parse(json);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private static void assertValid(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertTrue(JsonValidator.isValid(new UnsafeBuffer(bytes), 0, bytes.length), () -> "validator: " + json);
        JsonParser.parse(json);
    }

    private static void assertInvalid(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertFalse(JsonValidator.isValid(new UnsafeBuffer(bytes), 0, bytes.length), () -> "validator: " + json);
        assertThrows(IllegalArgumentException.class, () -> JsonParser.parse(json), () -> "parser: " + json);
    }
}
