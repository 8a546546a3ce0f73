package io.ringcast.tests;

import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlowClientTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCloseAClientWhoseBufferIsFullWith4001WithoutHoldingUpOthers() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--client-buffer", "64KiB");
             RawWebSocket stalled = RawWebSocket.connect(node.httpPort(), "topics=load", 4096);
             WsClient reader = WsClient.connect(node.wsUrl("topics=load"));
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            assertTrue(stalled.readFrame().text().contains("subscribed"));
            reader.next();
            final byte[] payload = new byte[1024];
            Arrays.fill(payload, (byte)'p');
            // Publish in batches far smaller than the buffer, so that the reading client keeps up (its I/O thread may
            // record what it wrote a little after the client has read it), until the stalled one is given up.
            long published = 0;
            while (node.node.metrics().slowClientCloses.get() == 0 && published < 50_000)
            {
                for (int i = 0; i < 4; i++)
                {
                    publisher.send("load", 0, payload);
                }
                publisher.flush();
                for (int i = 0; i < 4; i++)
                {
                    assertEquals(++published, IngestClient.id(publisher.readReply()));
                    assertEquals(published, WsClient.id(reader.next()), "the reading client gets everything in order");
                }
            }
            assertEquals(1, node.node.metrics().slowClientCloses.get(), "the stalled client was closed as slow");
            final long messages = published;
            final long after = publisher.publish("load", 0, payload);
            assertEquals(after, WsClient.id(reader.next()), "the reading client is still served");

            // What was queued before the close comes first, in order, then close 4001.
            long lastId = 0;
            while (true)
            {
                final RawWebSocket.Frame frame = stalled.readFrame();
                if (frame.opcode() == 0x8)
                {
                    assertEquals(4001, frame.closeCode());
                    break;
                }
                final String text = frame.text();
                final long id = Long.parseLong(text.substring(text.indexOf(':') + 1, text.indexOf(',')));
                assertEquals(lastId + 1, id);
                lastId = id;
            }
            assertTrue(lastId > 0 && lastId < messages, "some but not all were queued: " + lastId);
        }
    }
}
