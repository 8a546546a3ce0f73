package io.ringcast.transport.websocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UpgradeRefusalTest
{
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void shouldTakeRfc6455AndHybiVersions()
    {
        assertNull(UpgradeRefusal.check("GET", "websocket", KEY, "13"));
        assertNull(UpgradeRefusal.check("GET", "WebSocket", KEY, "8"));
        assertNull(UpgradeRefusal.check("GET", "websocket", KEY, "7"));
    }

    @Test
    void shouldAnswerAnUnknownOrMissingVersionWith426()
    {
        assertEquals(426, UpgradeRefusal.check("GET", "websocket", KEY, "12").status());
        assertEquals(426, UpgradeRefusal.check("GET", "websocket", KEY, null).status());
    }

    @Test
    void shouldAnswerEveryOtherProblemWith400()
    {
        assertEquals(400, UpgradeRefusal.check("POST", "websocket", KEY, "13").status());
        assertEquals(400, UpgradeRefusal.check("GET", null, KEY, "13").status());
        assertEquals(400, UpgradeRefusal.check("GET", "h2c", KEY, "13").status());
        assertEquals(400, UpgradeRefusal.check("GET", "websocket", null, "13").status());
        assertEquals(400, UpgradeRefusal.check("GET", "websocket", " ", "13").status());
        assertEquals(400, UpgradeRefusal.check(
            "GET", "websocket", "k".repeat(HandshakeAccept.MAX_KEY_CHARS + 1), "99").status());
    }
}
