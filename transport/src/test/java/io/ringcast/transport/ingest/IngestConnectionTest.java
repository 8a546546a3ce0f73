package io.ringcast.transport.ingest;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.IngestOnlyPublisher;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.client.IngestClient;
import io.ringcast.transport.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestConnectionTest
{
    @Test
    void shouldLetRingSlotsKeepOnlyASteadyOpenPublisher() throws Exception
    {
        final RecordingPublisher publisher = new RecordingPublisher();
        try (IngestServer server =
                 new IngestServer(new InetSocketAddress("127.0.0.1", 0), publisher, new Metrics(), 1024))
        {
            server.start();
            try (IngestClient client = IngestClient.connect("127.0.0.1", server.localAddress().getPort()))
            {
                publish(client, (int)IngestConnection.RETAIN_AFTER_FRAMES - 1);
                assertFalse(publisher.replier.retainable(), "a publisher of a few messages is not kept");
                publish(client, 1);
                assertTrue(publisher.replier.retainable(), "a steady publisher is kept");
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (publisher.replier.retainable())
            {
                assertTrue(System.nanoTime() < deadline, "a closed connection is not kept");
                Thread.onSpinWait();
            }
        }
    }

    private static void publish(final IngestClient client, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            client.send("t", 0, new byte[]{'x'});
        }
        client.flush();
        for (int i = 0; i < count; i++)
        {
            assertEquals(0, IngestClient.status(client.readReply()));
        }
    }

    private static final class RecordingPublisher extends IngestOnlyPublisher
    {
        volatile PublishReplier replier;
        private long nextId;

        @Override
        public boolean publish(final InboundMessage message)
        {
            replier = message.replier();
            if (message.replier().reply(message.status(), ++nextId))
            {
                message.replier().commit();
            }
            return true;
        }
    }
}
