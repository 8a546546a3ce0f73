package io.ringcast.tests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WebSocketErrorsTest
{
    @TempDir
    Path dir;
    TestNode node;

    @BeforeEach
    void start()
    {
        node = TestNode.start(dir.resolve("journal"), "--max-connections", "5");
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    @Test
    void shouldAnswerEveryInvalidRequestWithBadRequestAndChangeNothing() throws Exception
    {
        final List<String> invalid = List.of(
            "not json",
            "[1,2]",
            "\"subscribe\"",
            "{\"op\":\"dance\"}",
            "{\"topics\":[\"a\"]}",
            "{\"op\":\"subscribe\",\"topics\":[]}",
            "{\"op\":\"subscribe\",\"topics\":\"a\"}",
            "{\"op\":\"subscribe\",\"topics\":[\"ok\",\"not ok\"]}",
            "{\"op\":\"subscribe\",\"topics\":[\"" + "x".repeat(256) + "\"]}",
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":-1}",
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1.5}",
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":\"3\"}",
            "{\"op\":\"subscribe\",\"topics\":[\"a\"],\"epoch\":7}",
            "{\"op\":\"join\"}",
            "{\"op\":\"join\",\"group\":\"\"}",
            "{\"op\":\"leave\",\"group\":5}",
            "{\"op\":\"ack\",\"id\":-3}",
            "{\"op\":\"unsubscribe\"}");
        try (WsClient client = WsClient.connect(node.wsUrl("")))
        {
            for (final String request : invalid)
            {
                client.send(request);
                final Map<String, Object> reply = client.next();
                assertEquals("error", reply.get("type"), request);
                assertEquals("bad_request", reply.get("code"), request);
                assertTrue(((String)reply.get("message")).length() > 3, request);
            }
            client.sendBinary(new byte[]{1, 2, 3});
            assertEquals("bad_request", client.next().get("code"));

            // Nothing changed: "ok" (part of an invalid subscribe) is not subscribed; the connection still works.
            try (io.ringcast.transport.client.IngestClient publisher =
                io.ringcast.transport.client.IngestClient.connect("127.0.0.1", node.ingestPort()))
            {
                publisher.publish("ok", 0, "x".getBytes(StandardCharsets.UTF_8));
                client.send("{\"op\":\"subscribe\",\"topics\":[\"other\"]}");
                assertEquals("subscribed", client.next().get("type"));
                final long id = publisher.publish("other", 0, "y".getBytes(StandardCharsets.UTF_8));
                assertEquals(id, WsClient.id(client.next()), "the message to \"ok\" was not delivered");
            }
        }
    }

    @Test
    void shouldCloseWith1009WhenAClientMessageExceeds64KiB() throws Exception
    {
        try (RawWebSocket raw = RawWebSocket.connect(node.httpPort(), ""))
        {
            final byte[] part = new byte[40 * 1024];
            java.util.Arrays.fill(part, (byte)' ');
            raw.sendRaw(RawWebSocket.frame(0x1, false, part, true));
            raw.sendRaw(RawWebSocket.frame(0x0, true, part, true));
            assertEquals(1009, raw.readUntilClose());
        }
        try (WsClient client = WsClient.connect(node.wsUrl("")))
        {
            client.send("{\"op\":\"subscribe\",\"topics\":[\"" + " ".repeat(70 * 1024) + "a\"]}");
            assertEquals(1009, client.awaitClose());
        }
    }

    @Test
    void shouldCloseWithProtocolErrorsForBrokenFrames() throws Exception
    {
        try (RawWebSocket raw = RawWebSocket.connect(node.httpPort(), ""))
        {
            raw.sendRaw(RawWebSocket.frame(0x1, true, "{}".getBytes(StandardCharsets.UTF_8), false));
            assertEquals(1002, raw.readUntilClose(), "unmasked client frame");
        }
        try (RawWebSocket raw = RawWebSocket.connect(node.httpPort(), ""))
        {
            raw.sendRaw(RawWebSocket.frame(0x1, true, new byte[]{'"', (byte)0xC0, (byte)0xAF, '"'}, true));
            assertEquals(1007, raw.readUntilClose(), "invalid UTF-8");
        }
        try (RawWebSocket raw = RawWebSocket.connect(node.httpPort(), ""))
        {
            raw.sendRaw(RawWebSocket.frame(0x0, true, "x".getBytes(StandardCharsets.UTF_8), true));
            assertEquals(1002, raw.readUntilClose(), "continuation without a message");
        }
    }

    @Test
    void shouldAnswerPingsAndEchoCloses() throws Exception
    {
        try (RawWebSocket raw = RawWebSocket.connect(node.httpPort(), "topics=p"))
        {
            assertTrue(raw.readFrame().text().contains("\"subscribed\""));
            raw.sendRaw(RawWebSocket.frame(0x9, true, "hi".getBytes(StandardCharsets.UTF_8), true));
            final RawWebSocket.Frame pong = raw.readFrame();
            assertEquals(0xA, pong.opcode());
            assertEquals("hi", pong.text());
            raw.sendRaw(RawWebSocket.frame(0x8, true, new byte[]{0x03, (byte)0xE8}, true));
            assertEquals(1000, raw.readUntilClose());
            assertEquals(-1, raw.input().read(), "the node closes the TCP connection after the close handshake");
        }
    }

    @Test
    void shouldRefuseABadQueryBeforeTheUpgrade() throws Exception
    {
        for (final String query : List.of("topics=a,,b", "topics=bad%20name", "topics=a&from=-1", "topics=a&from=x",
            "group=", "from=3", "topics=a&ack=2"))
        {
            final IOException refused = assertThrows(IOException.class, () -> RawWebSocket.connect(node.httpPort(), query));
            assertTrue(refused.getMessage().contains("400"), query + ": " + refused.getMessage());
        }
        final var response = Http.get(node.httpUrl("/ws?topics=bad%20name"));
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("\"error\":\"bad_request\""), response.body());
    }

    @Test
    void shouldRefuseConnectionsOverTheLimitWith503() throws Exception
    {
        final java.util.ArrayList<RawWebSocket> open = new java.util.ArrayList<>();
        try
        {
            for (int i = 0; i < 5; i++)
            {
                open.add(RawWebSocket.connect(node.httpPort(), ""));
            }
            Await.until("5 connections counted", () -> node.node.metrics().openConnections() == 5);
            final IOException refused = assertThrows(IOException.class, () -> RawWebSocket.connect(node.httpPort(), ""));
            assertTrue(refused.getMessage().contains("503"), refused.getMessage());
            open.remove(0).close();
            Await.until("a slot frees up", () -> node.node.metrics().openConnections() == 4);
            open.add(RawWebSocket.connect(node.httpPort(), ""));
        }
        finally
        {
            for (final RawWebSocket ws : open)
            {
                ws.close();
            }
        }
    }
}
