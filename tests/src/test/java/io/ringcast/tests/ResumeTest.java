package io.ringcast.tests;

import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ResumeTest
{
    @TempDir
    Path dir;

    /** Publishes {@code count} messages alternating topics a and b; returns the ids given to topic a. */
    private static List<Long> publishAlternating(final int port, final int count) throws Exception
    {
        final List<Long> aIds = new ArrayList<>();
        try (IngestClient publisher = IngestClient.connect("127.0.0.1", port))
        {
            final byte[] payload = "0123456789012345678901234567890123456789".getBytes(StandardCharsets.UTF_8);
            final int window = 2000;
            int sent = 0;
            int answered = 0;
            while (answered < count)
            {
                while (sent < count && sent - answered < window)
                {
                    publisher.send(sent % 2 == 0 ? "a" : "b", 0, payload);
                    sent++;
                }
                publisher.flush();
                final long reply = publisher.readReply();
                assertEquals(0, IngestClient.status(reply));
                if (answered % 2 == 0)
                {
                    aIds.add(IngestClient.id(reply));
                }
                answered++;
            }
        }
        return aIds;
    }

    @Test
    void shouldReplayFromIdWithoutGapOrDuplicateWhileLiveTrafficContinues() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--client-buffer", "64MiB"))
        {
            final List<Long> before = publishAlternating(node.ingestPort(), 100_000);
            final long from = 50_001;
            final CompletableFuture<List<Long>> during =
                CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        return publishAlternating(node.ingestPort(), 100_000);
                    }
                    catch (final Exception ex)
                    {
                        throw new RuntimeException(ex);
                    }
                });
            try (WsClient client = WsClient.connect(node.wsUrl("")))
            {
                client.send("{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":" + from + ",\"epoch\":\"" +
                    node.node.epoch() + "\"}");
                final Map<String, Object> subscribed = client.next();
                assertEquals("subscribed", subscribed.get("type"));
                assertEquals(Boolean.TRUE, subscribed.get("recovered"));

                final List<Long> expected = new ArrayList<>();
                for (final long id : before)
                {
                    if (id > from)
                    {
                        expected.add(id);
                    }
                }
                final List<Long> duringIds = during.join();
                expected.addAll(duringIds);
                for (int i = 0; i < expected.size(); i++)
                {
                    final Map<String, Object> m = client.next();
                    assertEquals(expected.get(i), WsClient.id(m), "message " + i + " after from");
                    assertEquals("a", m.get("topic"));
                }
                assertTrue(client.drain().isEmpty(), "nothing more than expected");
                assertTrue(node.node.counters().framesReplayed.get() > 0, "part of it came from the journal");
            }
        }
    }

    @Test
    void shouldServeASecondClientReplayingTheSameIdsFromTheFrameCacheNotTheJournal() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal")))
        {
            final List<Long> aIds = publishAlternating(node.ingestPort(), 4_000);
            long readsBefore = 0;
            for (int round = 0; round < 2; round++)
            {
                try (WsClient client = WsClient.connect(node.wsUrl("topics=a&from=0")))
                {
                    assertEquals(Boolean.TRUE, client.next().get("recovered"));
                    for (final long id : aIds)
                    {
                        assertEquals(id, WsClient.id(client.next()), "round " + round);
                    }
                }
                final long floor = readsBefore + 4_000;
                if (round == 0)
                {
                    // The first client walks every id, a and b alike, through the journal.
                    Await.until("the first replay's reads are counted",
                        () -> node.node.counters().replayJournalReads.get() >= floor);
                    readsBefore = node.node.counters().replayJournalReads.get();
                }
            }
            assertEquals(readsBefore, node.node.counters().replayJournalReads.get(),
                "the second client's 2,000 frames (and the 2,000 of b it skips) all came from the frame cache");
        }
    }

    @Test
    void shouldResumeByQueryStringAndForGroups() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal"));
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            for (int i = 1; i <= 10; i++)
            {
                publisher.publish("t", 0, ("t" + i).getBytes(StandardCharsets.UTF_8));
                publisher.publish("g", IngestClient.FLAG_GROUP, ("g" + i).getBytes(StandardCharsets.UTF_8));
            }
            // ids: t = 1,3,...,19; group g = 2,4,...,20
            try (WsClient client = WsClient.connect(node.wsUrl("topics=t&group=g&from=14&epoch=" + node.node.epoch())))
            {
                final Map<String, Object> subscribed = client.next();
                assertEquals("subscribed", subscribed.get("type"));
                assertEquals(Boolean.TRUE, subscribed.get("recovered"));
                assertEquals(BigDecimal.valueOf(20), subscribed.get("head"));
                final List<Long> topicIds = new ArrayList<>();
                final List<Long> groupIds = new ArrayList<>();
                boolean joined = false;
                while (topicIds.size() < 3 || groupIds.size() < 3 || !joined)
                {
                    final Map<String, Object> m = client.next();
                    if ("joined".equals(m.get("type")))
                    {
                        assertEquals(Boolean.TRUE, m.get("recovered"));
                        joined = true;
                    }
                    else if (m.containsKey("group"))
                    {
                        assertTrue(joined, "the joined reply precedes the group replay");
                        groupIds.add(WsClient.id(m));
                    }
                    else
                    {
                        topicIds.add(WsClient.id(m));
                    }
                }
                assertEquals(List.of(15L, 17L, 19L), topicIds);
                assertEquals(List.of(16L, 18L, 20L), groupIds);
                final long live = publisher.publish("t", 0, "live".getBytes(StandardCharsets.UTF_8));
                assertEquals(live, WsClient.id(client.next()));
            }
            // Joining by op with from, and resubscribing a topic already received live replays nothing for it.
            try (WsClient client = WsClient.connect(node.wsUrl("topics=t")))
            {
                client.next();
                client.send("{\"op\":\"join\",\"group\":\"g\",\"from\":17}");
                final Map<String, Object> joined = client.next();
                assertEquals("joined", joined.get("type"));
                assertEquals(Boolean.TRUE, joined.get("recovered"));
                assertEquals(18L, WsClient.id(client.next()));
                assertEquals(20L, WsClient.id(client.next()));
                client.send("{\"op\":\"subscribe\",\"topics\":[\"t\"],\"from\":0}");
                final Map<String, Object> again = client.next();
                assertEquals(Boolean.TRUE, again.get("recovered"));
                final long live = publisher.publish("t", 0, "after".getBytes(StandardCharsets.UTF_8));
                assertEquals(live, WsClient.id(client.next()), "t was already live: not replayed again");
            }
        }
    }

    @Test
    void shouldAnswerRecoveredFalseForAnotherEpochOrAFutureId() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal"));
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            for (int i = 0; i < 5; i++)
            {
                publisher.publish("x", 0, "m".getBytes(StandardCharsets.UTF_8));
            }
            try (WsClient client = WsClient.connect(node.wsUrl("")))
            {
                client.send("{\"op\":\"subscribe\",\"topics\":[\"x\"],\"from\":2,\"epoch\":\"other-epoch\"}");
                Map<String, Object> reply = client.next();
                assertEquals(Boolean.FALSE, reply.get("recovered"));
                assertEquals(BigDecimal.ONE, reply.get("oldest"));

                client.send("{\"op\":\"unsubscribe\",\"topics\":[\"x\"]}");
                client.next();
                client.send("{\"op\":\"subscribe\",\"topics\":[\"x\"],\"from\":6}");
                reply = client.next();
                assertEquals(Boolean.FALSE, reply.get("recovered"), "from > head");
                assertEquals(BigDecimal.ONE, reply.get("oldest"));
                // Nothing was replayed: the next message is live.
                final long live = publisher.publish("x", 0, "live".getBytes(StandardCharsets.UTF_8));
                assertEquals(live, WsClient.id(client.next()));
            }
        }
        try (TestNode empty = TestNode.start(dir.resolve("empty"));
             WsClient client = WsClient.connect(empty.wsUrl("topics=x&from=0")))
        {
            final Map<String, Object> reply = client.next();
            assertEquals(Boolean.TRUE, reply.get("recovered"), "from 0 on an empty journal");
            assertEquals(BigDecimal.ZERO, reply.get("head"));
        }
    }

    @Test
    void shouldDeleteExpiredJournalFilesAndMoveOldestOn() throws Exception
    {
        try (TestNode node = TestNode.start(dir.resolve("journal"), "--roll-cycle", "TEST_SECONDLY",
            "--retention", "1s");
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            publisher.publish("r", 0, "first".getBytes(StandardCharsets.UTF_8));
            assertEquals(1, node.node.journal().oldestId());
            // Keep publishing (new messages open new one-second files) until retention removes the first file.
            Await.until("the first journal file to expire", () ->
            {
                try
                {
                    publisher.publish("r", 0, "more".getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(50);
                }
                catch (final Exception ex)
                {
                    throw new RuntimeException(ex);
                }
                return node.node.journal().oldestId() > 1;
            });
            final long oldest = node.node.journal().oldestId();
            try (WsClient client = WsClient.connect(node.wsUrl("topics=r&from=0")))
            {
                final Map<String, Object> reply = client.next();
                assertEquals(Boolean.FALSE, reply.get("recovered"), "ids after 0 were removed by retention");
                assertTrue(((BigDecimal)reply.get("oldest")).longValue() >= oldest);
            }
            final long head = node.node.head();
            final long resumeFrom = node.node.journal().oldestId() - 1;
            try (WsClient client = WsClient.connect(node.wsUrl("topics=r&from=" + resumeFrom)))
            {
                final Map<String, Object> reply = client.next();
                assertEquals(Boolean.TRUE, reply.get("recovered"), "from oldest - 1 takes what exists");
                assertEquals(resumeFrom + 1, WsClient.id(client.next()));
                assertTrue(head >= resumeFrom + 1);
            }
        }
    }
}
