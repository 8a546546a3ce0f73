package io.ringcast.tests;

import io.ringcast.engine.replay.ReplayAgent;
import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clients that stop reading lose nothing and cost the others nothing. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlowClientTest
{
    private static final int PAYLOAD_BYTES = 1024;

    @TempDir
    Path dir;

    /** Reads frames on its own thread and checks ids arrive one by one, in order, with nothing missing. */
    private static final class CheckingReader
    {
        final RawWebSocket socket;
        volatile long lastId;
        volatile int closeCode;
        volatile String failure;

        CheckingReader(final RawWebSocket socket)
        {
            this.socket = socket;
        }

        CompletableFuture<Void> readUntil(final long lastExpectedId)
        {
            return CompletableFuture.runAsync(() ->
            {
                try
                {
                    while (lastId < lastExpectedId)
                    {
                        final RawWebSocket.Frame frame = socket.readFrame();
                        if (frame.opcode() == 0x8)
                        {
                            closeCode = frame.closeCode();
                            return;
                        }
                        if (frame.opcode() != 0x1)
                        {
                            continue;
                        }
                        final long id = idOf(frame.body());
                        if (id != lastId + 1)
                        {
                            failure = "expected id " + (lastId + 1) + " got " + id;
                            return;
                        }
                        lastId = id;
                    }
                }
                catch (final IOException ex)
                {
                    failure = "read failed after id " + lastId + ": " + ex;
                }
            });
        }
    }

    /** The id of a message frame body {"id":N,...}. */
    static long idOf(final byte[] body)
    {
        long id = 0;
        for (int i = 6; body[i] != ','; i++)
        {
            id = id * 10 + (body[i] - '0');
        }
        return id;
    }

    private static void publish(final IngestClient publisher, final int count) throws IOException
    {
        final byte[] payload = new byte[PAYLOAD_BYTES];
        Arrays.fill(payload, (byte)'p');
        int answered = 0;
        int sent = 0;
        while (answered < count)
        {
            while (sent < count && sent - answered < 1000)
            {
                publisher.send("load", 0, payload);
                sent++;
            }
            publisher.flush();
            assertEquals(0, IngestClient.status(publisher.readReply()));
            answered++;
        }
    }

    private static String metricsText(final TestNode node)
    {
        try
        {
            return Http.get(node.httpUrl("/metrics")).body();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static long counter(final String metrics, final String name)
    {
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return (long)Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in /metrics: " + metrics);
    }

    private static long directMemoryUsed()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if (pool.getName().equals("direct"))
            {
                return pool.getMemoryUsed();
            }
        }
        return -1;
    }

    @Test
    void shouldReleaseTheSendBuffersOfAClientThatWasCaughtUpOnceItIsIdle() throws Exception
    {
        final int messages = 2_000;
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--client-buffer", "64KiB");
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort());
             RawWebSocket slow = RawWebSocket.connect(node.httpPort(), "topics=load", 8192))
        {
            assertTrue(slow.readFrame().text().contains("\"subscribed\""));
            // One at a time, so each message is a batch of its own and the offer that finds the buffer full is
            // the first touch of the client's stream in its batch.
            final byte[] payload = new byte[PAYLOAD_BYTES];
            Arrays.fill(payload, (byte)'p');
            for (int i = 0; i < messages; i++)
            {
                publisher.publish("load", 0, payload);
            }
            assertTrue(node.node.counters().catchUpsStarted.get() >= 1, "its buffer filled: it went to catch-up");

            final CheckingReader reader = new CheckingReader(slow);
            reader.readUntil(messages).get(60, TimeUnit.SECONDS);
            assertEquals(null, reader.failure);
            assertEquals(messages, reader.lastId);
            Await.until("the catch-up to end", () -> metricsText(node).contains("\nringcast_clients_in_catchup 0\n"));

            // Nothing more is published: the client's buffers must be let go (the offer that failed when its
            // buffer filled opened a producer batch on its stream; unless that batch is ended, no release).
            final long released = node.node.metrics().sendBuffersReleased.get();
            Await.until("the idle client's send buffers to be released",
                () -> node.node.metrics().sendBuffersReleased.get() > released);
        }
    }

    @Test
    void shouldServePausedClientsFromTheJournalWithoutLossWhileOthersGetEverything() throws Exception
    {
        final int readers = 45;
        final int paused = 5;
        final int messages = 100_000;
        final int clientBuffer = 256 * 1024;
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--client-buffer", "256KiB",
                 "--stall-timeout", "10m", "--ping-interval", "10m");
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            final long directBefore = directMemoryUsed();
            final List<CheckingReader> live = new ArrayList<>();
            final List<CheckingReader> stopped = new ArrayList<>();
            for (int i = 0; i < readers + paused; i++)
            {
                final RawWebSocket socket = RawWebSocket.connect(node.httpPort(), "topics=load", i < paused ? 8192 : 0);
                assertTrue(socket.readFrame().text().contains("\"subscribed\""));
                (i < paused ? stopped : live).add(new CheckingReader(socket));
            }
            final List<CompletableFuture<Void>> reading = new ArrayList<>();
            for (final CheckingReader reader : live)
            {
                reading.add(reader.readUntil(messages));
            }

            publish(publisher, messages);
            for (int i = 0; i < live.size(); i++)
            {
                reading.get(i).get(120, TimeUnit.SECONDS);
                assertEquals(null, live.get(i).failure);
                assertEquals(messages, live.get(i).lastId, "every live reader got every message in order");
            }
            assertTrue(node.node.counters().catchUpsStarted.get() >= paused, "the paused clients left the live fan-out");
            final long directDuring = directMemoryUsed() - directBefore;
            // Per client: its live buffer and at most one catch-up buffer, whatever the number of messages; for the
            // node: the replay frame cache.
            final long bound = 2L * (readers + paused) * clientBuffer + ReplayAgent.FRAME_CACHE_BYTES + (4L << 20);
            System.out.println("SlowClientTest: catch-ups " + node.node.counters().catchUpsStarted.get() +
                "; direct memory for " + (readers + paused) + " clients with " + paused +
                " paused after " + messages + " x 1 KiB: " + directDuring + " bytes (bound " + bound + ")");
            assertTrue(directDuring <= bound, "client memory stays bounded: " + directDuring + " > " + bound);

            // The paused clients read again, on the same connection: everything, in order, from the journal then live.
            final List<CompletableFuture<Void>> catchingUp = new ArrayList<>();
            for (final CheckingReader reader : stopped)
            {
                catchingUp.add(reader.readUntil(messages + 10));
            }
            publish(publisher, 10);
            for (int i = 0; i < stopped.size(); i++)
            {
                catchingUp.get(i).get(120, TimeUnit.SECONDS);
                assertEquals(null, stopped.get(i).failure);
                assertEquals(0, stopped.get(i).closeCode, "not closed");
                assertEquals(messages + 10, stopped.get(i).lastId);
            }
            for (final CheckingReader reader : live)
            {
                reader.socket.close();
            }
            for (final CheckingReader reader : stopped)
            {
                reader.socket.close();
            }
        }
    }

    @Test
    void shouldServeClientsFromTheJournalWhenTheDirectMemoryLimitRefusesTheirBuffers() throws Exception
    {
        final int live = 2;
        final int paused = 4;
        final int messages = 20_000;
        final Path log = dir.resolve("node.log");
        // 4 clients that read nothing would each grow to 8 MiB of send buffer: the 24 MiB limit refuses that.
        try (ProcessNode node = ProcessNode.start(List.of("-XX:MaxDirectMemorySize=24m"), dir.resolve("journal"), log,
                 "--client-buffer", "8MiB", "--stall-timeout", "10m", "--ping-interval", "10m");
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort))
        {
            final List<CheckingReader> readers = new ArrayList<>();
            final List<CompletableFuture<Void>> reading = new ArrayList<>();
            for (int i = 0; i < live + paused; i++)
            {
                final RawWebSocket socket = RawWebSocket.connect(node.httpPort, "topics=load", i < live ? 0 : 8192);
                assertTrue(socket.readFrame().text().contains("\"subscribed\""));
                readers.add(new CheckingReader(socket));
                if (i < live)
                {
                    reading.add(readers.get(i).readUntil(messages));
                }
            }

            publish(publisher, messages);
            for (int i = live; i < live + paused; i++)
            {
                reading.add(readers.get(i).readUntil(messages));  // the paused clients read again
            }
            int resumed = 0;
            for (int i = 0; i < live + paused; i++)
            {
                reading.get(i).get(120, TimeUnit.SECONDS);
                CheckingReader reader = readers.get(i);
                assertEquals(null, reader.failure, "client " + i + "; node log:\n" + Files.readString(log));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (reader.lastId < messages)
                {
                    // No memory for its replay buffer: closed with 4001 after an in-order prefix. It resumes by id,
                    // as a client would, backing off while the node is still short of memory.
                    assertEquals(4001, reader.closeCode, "client " + i + " closed after id " + reader.lastId);
                    assertTrue(System.nanoTime() < deadline, "client " + i + " resumed within 60 s");
                    reader.socket.close();
                    if (reader != readers.get(i))
                    {
                        Thread.sleep(100);  // a client's back-off before it reconnects, not synchronisation
                    }
                    final RawWebSocket socket = RawWebSocket.connect(node.httpPort, "topics=load&from=" + reader.lastId);
                    final CheckingReader rest = new CheckingReader(socket);
                    rest.lastId = reader.lastId;
                    final RawWebSocket.Frame reply = socket.readFrame();
                    if (reply.opcode() == 0x8)
                    {
                        rest.closeCode = reply.closeCode();
                    }
                    else
                    {
                        assertTrue(reply.text().contains("\"recovered\":true"), reply.text());
                        rest.readUntil(messages).get(120, TimeUnit.SECONDS);
                        assertEquals(null, rest.failure);
                    }
                    reader = rest;
                    resumed++;
                }
                assertEquals(messages, reader.lastId, "client " + i + " got every message, in order");
                reader.socket.close();
            }
            final String output = Files.readString(log);
            final String metrics = Http.get("http://127.0.0.1:" + node.httpPort + "/metrics").body();
            final long catchUps = counter(metrics, "ringcast_catchups_started_total");
            System.out.println("SlowClientTest: direct memory limit: " + catchUps + " catch-ups from the journal, " +
                resumed + " resumes after 4001 closes, by " + (live + paused) + " clients");
            // The path this test is named for: the limit refused a send buffer, and the clients it was refused to
            // were switched to the journal (a catch-up each) instead of being dropped; 4001 + resume only happens
            // when even a replay buffer cannot be had, so it may or may not be taken on a given run.
            assertTrue(output.contains("direct memory limit reached"), "the limit was reached: " + output);
            assertTrue(catchUps >= 1, "a client refused its buffer was served from the journal: " + metrics);
            assertFalse(output.contains("pipeline failed"), "the fan-out never failed: " + output);
        }
    }

    @Test
    void shouldCloseAClientPastMaxLagWith4001AndResumeByIdGetsTheRest() throws Exception
    {
        // Well past what the kernel's socket buffers can hold for a client that does not read (a few MiB).
        final int messages = 50_000;
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--client-buffer", "64KiB", "--max-lag", "2000");
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort());
             RawWebSocket slow = RawWebSocket.connect(node.httpPort(), "topics=load", 8192))
        {
            assertTrue(slow.readFrame().text().contains("\"subscribed\""));
            publish(publisher, messages);
            try
            {
                Await.until("the lagging client to be closed", () -> node.node.counters().maxLagCloses.get() == 1);
            }
            catch (final AssertionError e)
            {
                throw new AssertionError(e.getMessage() + "; node metrics: " +
                    Http.get(node.httpUrl("/metrics")).body().replace('\n', ' '), e);
            }

            final CheckingReader reader = new CheckingReader(slow);
            reader.readUntil(messages).get(60, TimeUnit.SECONDS);
            assertEquals(null, reader.failure);
            assertEquals(4001, reader.closeCode, "closed with 4001 behind what was queued");
            assertTrue(reader.lastId < messages);

            try (RawWebSocket resumed = RawWebSocket.connect(node.httpPort(),
                "topics=load&from=" + reader.lastId + "&epoch=" + node.node.epoch()))
            {
                assertTrue(resumed.readFrame().text().contains("\"recovered\":true"));
                final CheckingReader rest = new CheckingReader(resumed);
                rest.lastId = reader.lastId;
                rest.readUntil(messages).get(60, TimeUnit.SECONDS);
                assertEquals(null, rest.failure);
                assertEquals(messages, rest.lastId, "the resume got the rest");
            }
        }
    }

    @Test
    void shouldCloseAClientThatReadsNothingForTheStallTimeout() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--client-buffer", "64KiB", "--stall-timeout", "1s");
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort());
             RawWebSocket stalled = RawWebSocket.connect(node.httpPort(), "topics=load", 8192);
             WsClient reader = WsClient.connect(node.wsUrl("topics=load")))
        {
            assertTrue(stalled.readFrame().text().contains("\"subscribed\""));
            reader.next();
            // Enough to fill the kernel's socket buffers and the node's buffers for this client.
            publish(publisher, 20_000);
            Await.until("the stalled client to be closed", () -> node.node.metrics().stallCloses.get() == 1);
            for (int i = 1; i <= 20_000; i++)
            {
                assertEquals(i, WsClient.id(reader.next()), "the reading client is untouched");
            }
            final CheckingReader check = new CheckingReader(stalled);
            check.readUntil(Long.MAX_VALUE).get(30, TimeUnit.SECONDS);
            assertTrue(check.closeCode == 4001 || check.failure != null, "4001, or dropped after the 5 s grace");
        }
    }
}
