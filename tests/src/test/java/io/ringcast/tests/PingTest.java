package io.ringcast.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PingTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPingSilentClientsAndDropThoseThatNeverAnswer() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--ping-interval", "1s");
             RawWebSocket answering = RawWebSocket.connect(node.httpPort(), "topics=p");
             RawWebSocket silent = RawWebSocket.connect(node.httpPort(), "topics=p"))
        {
            assertTrue(answering.readFrame().text().contains("subscribed"));
            assertTrue(silent.readFrame().text().contains("subscribed"));
            final RawWebSocket.Frame ping = answering.readFrame();
            assertEquals(0x9, ping.opcode(), "a silent client is pinged");
            answering.sendRaw(RawWebSocket.frame(0xA, true, ping.body(), true));

            Await.until("the silent client to be dropped", () -> node.node.metrics().pingTimeouts.get() >= 1);
            assertEquals(0x9, silent.readFrame().opcode());
            assertEquals(-1, silent.input().read(), "dropped");

            // The answering client keeps answering and stays connected.
            for (int i = 0; i < 3; i++)
            {
                final RawWebSocket.Frame next = answering.readFrame();
                assertEquals(0x9, next.opcode());
                answering.sendRaw(RawWebSocket.frame(0xA, true, next.body(), true));
            }
            answering.sendText("{\"op\":\"subscribe\",\"topics\":[\"q\"]}");
            RawWebSocket.Frame reply;
            do
            {
                reply = answering.readFrame();
            }
            while (reply.opcode() == 0x9);
            assertTrue(new String(reply.body(), StandardCharsets.UTF_8).contains("\"subscribed\""));
            assertEquals(1, node.node.metrics().pingTimeouts.get(), "only the silent client was dropped");
        }
    }
}
