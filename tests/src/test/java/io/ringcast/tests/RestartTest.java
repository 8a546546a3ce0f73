package io.ringcast.tests;

import io.ringcast.journal.JournalEntry;
import io.ringcast.journal.JournalReader;
import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RestartTest
{
    @TempDir
    Path dir;

    @Test
    void shouldContinueIdsAndKeepTheEpochAcrossRestarts() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String epoch;
        try (TestNode node = TestNode.start(journal);
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            epoch = node.node.epoch();
            for (int i = 1; i <= 100; i++)
            {
                assertEquals(i, publisher.publish("r", 0, ("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        try (TestNode node = TestNode.start(journal);
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort());
             WsClient client = WsClient.connect(node.wsUrl("topics=r")))
        {
            assertEquals(epoch, node.node.epoch());
            final var subscribed = client.next();
            assertEquals(100L, WsClient.id(java.util.Map.of("id", subscribed.get("head"))));
            assertEquals(epoch, subscribed.get("epoch"));
            assertEquals(101, publisher.publish("r", 0, "after restart".getBytes(StandardCharsets.UTF_8)));
            assertEquals(101, WsClient.id(client.next()));

            try (JournalReader reader = node.node.journal().newReader())
            {
                final JournalEntry entry = new JournalEntry();
                for (int i = 1; i <= 101; i++)
                {
                    assertTrue(reader.read(entry));
                    assertEquals(i, entry.id());
                }
            }
        }
        try (TestNode other = TestNode.start(dir.resolve("another-journal")))
        {
            assertNotEquals(epoch, other.node.epoch(), "a new journal has a new epoch");
            assertEquals(0, other.node.head());
        }
    }
}
