package io.ringcast.transport.ingest;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.IngestOnlyPublisher;
import io.ringcast.transport.client.IngestClient;
import io.ringcast.transport.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection whose publish the pipeline refuses, driven on the test thread as the ingest thread would drive it:
 * it must give the thread back at the first refusal, keep the frame, and publish it exactly once, in order, on a
 * later retry.
 */
class IngestBackPressureTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final Metrics metrics = new Metrics();
    private final RefusingPublisher publisher = new RefusingPublisher();
    private ServerSocketChannel listener;
    private IngestServer server;
    private IngestClient client;
    private SocketChannel accepted;

    @AfterEach
    void close() throws IOException
    {
        if (client != null)
        {
            client.close();
        }
        if (accepted != null)
        {
            accepted.close();
        }
        if (listener != null)
        {
            listener.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void shouldKeepARefusedFrameAndPublishEveryFrameOnceInOrderWhenTheRingHasRoom() throws Exception
    {
        final IngestConnection connection = connect();
        publisher.refusals = 3;
        client.send("t", 0, "one".getBytes(StandardCharsets.UTF_8));
        client.send("t", 0, "two".getBytes(StandardCharsets.UTF_8));
        client.send("t", 0, "three".getBytes(StandardCharsets.UTF_8));
        client.flush();
        final int frameBytes = 4 + IngestDescriptor.TARGET_OFFSET + 1;
        final int total = 3 * frameBytes + "onetwothree".length();

        int read = 0;
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (read < total)
        {
            assertTrue(System.nanoTime() - deadline < 0, "frames not received");
            final int attemptsBefore = publisher.attempts;
            read += Math.max(0, connection.onReadable());
            assertTrue(publisher.attempts - attemptsBefore <= 3, "one attempt per frame at most, no spinning");
        }
        assertTrue(connection.isBackPressured(), "the refused frame waits");
        assertTrue(publisher.published.isEmpty());

        while (connection.isBackPressured())
        {
            final int attemptsBefore = publisher.attempts;
            connection.decodeFrames();  // the ingest thread's retry after its back-off
            if (connection.isBackPressured())
            {
                assertEquals(attemptsBefore + 1, publisher.attempts, "a refused retry returns at once");
            }
        }

        assertEquals(List.of("one", "two", "three"), publisher.published);
        assertEquals(3, publisher.attempts - publisher.published.size());
        assertEquals(3, metrics.backPressured.get());
        assertEquals(3, metrics.ingestFrames.get());
        assertFalse(connection.allAnswered(), "replies still to come from the journal");
    }

    private IngestConnection connect() throws IOException
    {
        server = new IngestServer(new InetSocketAddress("127.0.0.1", 0), publisher, metrics, 1024);
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        client = IngestClient.connect("127.0.0.1", ((InetSocketAddress)listener.getLocalAddress()).getPort());
        accepted = listener.accept();
        accepted.configureBlocking(false);
        return new IngestConnection(accepted, server, publisher, metrics, 1024);
    }

    private static final class RefusingPublisher extends IngestOnlyPublisher
    {
        final List<String> published = new ArrayList<>();
        int refusals;
        int attempts;

        @Override
        public boolean publish(final InboundMessage message)
        {
            attempts++;
            if (refusals > 0)
            {
                refusals--;
                return false;
            }
            final byte[] payload = new byte[message.payloadLength()];
            message.buffer().getBytes(message.payloadOffset(), payload);
            published.add(new String(payload, StandardCharsets.UTF_8));
            return true;
        }
    }
}
