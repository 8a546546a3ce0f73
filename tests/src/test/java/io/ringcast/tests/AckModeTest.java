package io.ringcast.tests;

import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AckModeTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRedeliverUnackedMessagesThenCloseWith4008AndLeaveAckingClientsAlone() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--ack-timeout", "500ms");
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort());
             WsClient silent = WsClient.connect(node.wsUrl("topics=jobs&ack=1"));
             WsClient acking = WsClient.connect(node.wsUrl("topics=jobs&ack=1")))
        {
            silent.next();
            acking.next();
            final long id = publisher.publish("jobs", IngestClient.FLAG_JSON, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));

            final Map<String, Object> ackedOriginal = acking.next();
            assertEquals(id, WsClient.id(ackedOriginal));
            acking.send("{\"op\":\"ack\",\"id\":" + id + "}");

            final Map<String, Object> original = silent.next();
            assertEquals(id, WsClient.id(original));
            assertNull(original.get("redelivered"));
            for (int attempt = 1; attempt <= 3; attempt++)
            {
                final Map<String, Object> again = silent.next();
                assertEquals(id, WsClient.id(again), "redelivery " + attempt + " has the same id");
                assertEquals(Boolean.TRUE, again.get("redelivered"));
                assertEquals(Map.of("n", java.math.BigDecimal.ONE), again.get("data"));
            }
            assertEquals(4008, silent.awaitClose());

            // The acking client's message timed out long ago for the silent one; it got no redelivery.
            final long next = publisher.publish("jobs", 0, "two".getBytes(StandardCharsets.UTF_8));
            final Map<String, Object> second = acking.next();
            assertEquals(next, WsClient.id(second), "no redelivery of an acked message");
            assertNull(second.get("redelivered"));
        }
    }
}
