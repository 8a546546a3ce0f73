package io.ringcast.transport.assets;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticAssetsTest
{
    @Test
    void shouldEmbedTheClientModuleAndTheDemoPageInTheJar()
    {
        final String client = new String(StaticAssets.load("ringcast.js"), StandardCharsets.UTF_8);
        assertTrue(client.contains("export class Ringcast"), "the client module is on the class path");
        final String page = new String(StaticAssets.load("index.html"), StandardCharsets.UTF_8);
        assertTrue(page.contains("from \"/ringcast.js\""), "the demo page uses the served client");
    }

    @Test
    void shouldFailAtStartUpWhenAnAssetIsMissing()
    {
        assertThrows(IllegalStateException.class, () -> StaticAssets.load("nope.js"));
    }

    @Test
    void shouldGiveAStrongEtagThatChangesWithTheContent()
    {
        final String a = StaticAssets.etagOf("a".getBytes(StandardCharsets.UTF_8));
        assertEquals(a, StaticAssets.etagOf("a".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(a, StaticAssets.etagOf("b".getBytes(StandardCharsets.UTF_8)));
        assertTrue(a.startsWith("\"") && a.endsWith("\"") && a.length() == 26, a);
    }

    @Test
    void shouldMatchIfNoneMatchListsWeakFormsAndStar()
    {
        final String etag = "\"abc\"";
        assertTrue(StaticAssets.matches("\"abc\"", etag));
        assertTrue(StaticAssets.matches("\"x\", W/\"abc\"", etag));
        assertTrue(StaticAssets.matches("*", etag));
        assertFalse(StaticAssets.matches("\"abd\"", etag));
        assertFalse(StaticAssets.matches(null, etag));
    }
}
