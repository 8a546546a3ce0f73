package io.ringcast.tests;

import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node as users run it: a separate process, stopped by SIGTERM or killed with SIGKILL. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProcessLifecycleTest
{
    @TempDir
    Path dir;

    /** Streams frames "prefix-n" until told to stop or the connection breaks; collects acknowledged ids. */
    private static final class StreamingPublisher
    {
        final List<Long> ackedIds = new ArrayList<>();
        final List<String> ackedPayloads = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final CompletableFuture<Void> done;
        volatile int refused;

        StreamingPublisher(final int port, final String prefix) throws IOException
        {
            final IngestClient client = IngestClient.connect("127.0.0.1", port);
            final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            final CompletableFuture<Void> writer = CompletableFuture.runAsync(() ->
            {
                try
                {
                    for (int n = 0; !stop.get(); n++)
                    {
                        final String payload = prefix + "-" + n;
                        sent.add(payload);
                        client.send("crash", 0, payload.getBytes(StandardCharsets.UTF_8));
                        if (n % 16 == 0)
                        {
                            client.flush();
                        }
                    }
                    client.flush();
                }
                catch (final IOException ignore)
                {
                    // the node went away mid-stream
                }
            });
            done = CompletableFuture.runAsync(() ->
            {
                try
                {
                    for (int i = 0; ; i++)
                    {
                        final long reply = client.readReply();
                        final int status = IngestClient.status(reply);
                        synchronized (ackedIds)
                        {
                            if (status == 0)
                            {
                                ackedIds.add(IngestClient.id(reply));
                                ackedPayloads.add(sent.get(i));
                            }
                            else
                            {
                                refused++;
                            }
                        }
                    }
                }
                catch (final EOFException expected)
                {
                    // the node closed the connection
                }
                catch (final IOException ignore)
                {
                    // reset by a killed node
                }
                finally
                {
                    stop.set(true);
                    writer.join();
                    try
                    {
                        client.close();
                    }
                    catch (final IOException ignore)
                    {
                    }
                }
            });
        }

        int acked()
        {
            synchronized (ackedIds)
            {
                return ackedIds.size();
            }
        }
    }

    @Test
    void shouldStopOnSigtermAnsweringReceivedFramesAndClosingClientsWith1001() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final long lastAcked;
        try (ProcessNode node = ProcessNode.start(journal, dir.resolve("node.log"), "--client-buffer", "64MiB");
             WsClient client = WsClient.connect(node.wsUrl("topics=crash")))
        {
            client.next();
            final StreamingPublisher publisher = new StreamingPublisher(node.ingestPort, "term");
            Await.until("some frames acknowledged", () -> publisher.acked() >= 2000);
            final long signalledAtNs = System.nanoTime();
            node.sigterm();
            assertEquals(0, node.awaitExit(15), "exit status after SIGTERM");
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalledAtNs) < 10, "exits within 10 s");
            publisher.done.get(20, TimeUnit.SECONDS);

            // Replies came in order with dense ids; no frame was refused as a consequence of the stop.
            for (int i = 0; i < publisher.ackedIds.size(); i++)
            {
                assertEquals(i + 1L, publisher.ackedIds.get(i));
            }
            lastAcked = publisher.ackedIds.get(publisher.ackedIds.size() - 1);

            // Every journaled message reached the subscriber before its 1001.
            long last = 0;
            while (true)
            {
                final Map<String, Object> m = client.next();
                final long id = WsClient.id(m);
                assertEquals(last + 1, id);
                last = id;
                if (id >= lastAcked)
                {
                    break;
                }
            }
            assertEquals(1001, client.awaitClose());
        }
        final String log = Files.readString(dir.resolve("node.log"));
        assertTrue(log.contains("stopped in"), log);

        try (ProcessNode again = ProcessNode.start(journal, dir.resolve("node2.log"));
             IngestClient publisher = IngestClient.connect("127.0.0.1", again.ingestPort))
        {
            final long next = publisher.publish("crash", 0, "after restart".getBytes(StandardCharsets.UTF_8));
            assertEquals(lastAcked + 1, next, "every acknowledged frame was journaled, and nothing else");
        }
    }

    @Test
    void shouldReplayEveryAcknowledgedMessageAfterKillMinus9() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final List<Long> acked = new ArrayList<>();
        final List<String> payloads = new ArrayList<>();
        for (int round = 0; round < 3; round++)
        {
            try (ProcessNode node = ProcessNode.start(journal, dir.resolve("node-" + round + ".log")))
            {
                final StreamingPublisher publisher = new StreamingPublisher(node.ingestPort, "round" + round);
                final int target = 3000 + round * 1000;
                Await.until("frames acknowledged in round " + round, () -> publisher.acked() >= target);
                node.sigkill();
                node.awaitExit(15);
                publisher.done.get(20, TimeUnit.SECONDS);
                acked.addAll(publisher.ackedIds);
                payloads.addAll(publisher.ackedPayloads);
            }
        }

        try (ProcessNode node = ProcessNode.start(journal, dir.resolve("node-final.log"));
             WsClient client = WsClient.connect(node.wsUrl("topics=crash&from=0"));
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort))
        {
            final Map<String, Object> subscribed = client.next();
            assertEquals(Boolean.TRUE, subscribed.get("recovered"));
            final long head = ((Number)subscribed.get("head")).longValue();
            final long lastAcked = acked.get(acked.size() - 1);
            assertTrue(head >= lastAcked, "head " + head + " holds every acknowledged id up to " + lastAcked);

            final Map<Long, String> replayed = new java.util.HashMap<>();
            for (long id = 1; id <= head; id++)
            {
                final Map<String, Object> m = client.next();
                assertEquals(id, WsClient.id(m), "no gap in the journal");
                replayed.put(id, (String)m.get("data"));
            }
            for (int i = 0; i < acked.size(); i++)
            {
                assertEquals(payloads.get(i), replayed.get(acked.get(i)), "acknowledged id " + acked.get(i));
            }
            assertEquals(head + 1, publisher.publish("crash", 0, "next".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void shouldRefuseABadFlagWithOneLineNamingIt() throws Exception
    {
        final Process process = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", ProcessNode.JAR.toString(),
            "--retention", "5x", "--journal-dir", dir.resolve("j").toString())
            .redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertTrue(process.exitValue() != 0);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("ringcast: ") && l.contains("--retention")), output);
    }

    @Test
    void shouldPublishFromTheCommandLineAndPrintTheId() throws Exception
    {
        try (ProcessNode node = ProcessNode.start(dir.resolve("journal"), dir.resolve("node.log")))
        {
            final Process cli = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", ProcessNode.JAR.toString(),
                "publish", "--port", String.valueOf(node.ingestPort), "--topic", "news", "hello")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, cli.exitValue());
            assertEquals("1", out);
        }
    }
}
