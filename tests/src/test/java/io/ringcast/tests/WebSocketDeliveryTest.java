package io.ringcast.tests;

import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WebSocketDeliveryTest
{
    @TempDir
    Path dir;
    TestNode node;
    IngestClient publisher;

    @BeforeEach
    void start() throws Exception
    {
        node = TestNode.start(dir.resolve("journal"));
        publisher = IngestClient.connect("127.0.0.1", node.ingestPort());
    }

    @AfterEach
    void stop() throws Exception
    {
        publisher.close();
        node.close();
    }

    private long publish(final String topic, final String text) throws Exception
    {
        return publisher.publish(topic, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldDeliverEachClientOnlyItsTopicsInIdOrder() throws Exception
    {
        try (WsClient news = WsClient.connect(node.wsUrl("topics=news"));
             WsClient sport = WsClient.connect(node.wsUrl("topics=sport"));
             WsClient both = WsClient.connect(node.wsUrl("")))
        {
            assertEquals("subscribed", news.next().get("type"));
            assertEquals("subscribed", sport.next().get("type"));
            both.send("{\"op\":\"subscribe\",\"topics\":[\"news\",\"sport\"]}");
            final Map<String, Object> subscribed = both.next();
            assertEquals("subscribed", subscribed.get("type"));
            assertEquals(List.of("news", "sport"), subscribed.get("topics"));
            assertEquals(0L, ((Number)subscribed.get("head")).longValue());
            assertEquals(node.node.epoch(), subscribed.get("epoch"));

            final List<Long> newsIds = new ArrayList<>();
            final List<Long> sportIds = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                (i % 3 == 0 ? sportIds : newsIds).add(publish(i % 3 == 0 ? "sport" : "news", "m" + i));
            }
            publish("weather", "nobody listens");
            final long marker = publish("news", "end");
            newsIds.add(marker);

            final List<Long> newsGot = new ArrayList<>();
            for (int i = 0; i < newsIds.size(); i++)
            {
                final Map<String, Object> m = news.next();
                assertEquals("news", m.get("topic"));
                newsGot.add(WsClient.id(m));
            }
            assertEquals(newsIds, newsGot);

            final List<Long> sportGot = new ArrayList<>();
            for (int i = 0; i < sportIds.size(); i++)
            {
                final Map<String, Object> m = sport.next();
                assertEquals("sport", m.get("topic"));
                sportGot.add(WsClient.id(m));
            }
            assertEquals(sportIds, sportGot);

            long last = 0;
            for (int i = 0; i < newsIds.size() + sportIds.size(); i++)
            {
                final long id = WsClient.id(both.next());
                assertTrue(id > last, "ids increase");
                last = id;
            }
            assertEquals(marker, last);
            // Nothing of "weather" reached anyone, and sport saw nothing after its last message.
            final long sportBarrier = publish("sport", "barrier");
            assertEquals(sportBarrier, WsClient.id(sport.next()));
        }
    }

    @Test
    void shouldAssignDenseIdsFromOneAndCarryPayloadsExactly() throws Exception
    {
        try (WsClient client = WsClient.connect(node.wsUrl("topics=t")))
        {
            client.next();
            final String tricky = "quote \" backslash \\ newline \n tab \t ctrl \u0001 unicode é 😀";
            assertEquals(1, publish("t", tricky));
            assertEquals(2, publisher.publish("t", IngestClient.FLAG_JSON,
                "{\"a\":[1,2,{\"b\":null}]}".getBytes(StandardCharsets.UTF_8)));
            assertEquals(3, publish("t", ""));

            final Map<String, Object> first = client.next();
            assertEquals(1L, WsClient.id(first));
            assertEquals(tricky, first.get("data"));
            final Map<String, Object> second = client.next();
            assertEquals(2L, WsClient.id(second));
            assertEquals(Map.of("a", List.of(new java.math.BigDecimal(1), new java.math.BigDecimal(2),
                java.util.Collections.singletonMap("b", null))).toString(), second.get("data").toString());
            assertEquals("", client.next().get("data"));
        }
    }

    @Test
    void shouldDeliverGroupMessagesToMembersOnlyWithGroupField() throws Exception
    {
        try (WsClient member = WsClient.connect(node.wsUrl("group=team-1"));
             WsClient other = WsClient.connect(node.wsUrl("topics=team-1")))
        {
            final Map<String, Object> joined = member.next();
            assertEquals("joined", joined.get("type"));
            assertEquals("team-1", joined.get("group"));
            other.next();

            final long groupId = publisher.publish("team-1", IngestClient.FLAG_GROUP,
                "for the group".getBytes(StandardCharsets.UTF_8));
            final long topicId = publish("team-1", "for the topic");

            final Map<String, Object> m = member.next();
            assertEquals(groupId, WsClient.id(m));
            assertEquals("team-1", m.get("group"));
            assertNull(m.get("topic"));

            final Map<String, Object> t = other.next();
            assertEquals(topicId, WsClient.id(t), "the topic subscriber never sees the group message");

            member.send("{\"op\":\"leave\",\"group\":\"team-1\"}");
            assertEquals("left", member.next().get("type"));
            publisher.publish("team-1", IngestClient.FLAG_GROUP, "after leave".getBytes(StandardCharsets.UTF_8));
            member.send("{\"op\":\"join\",\"group\":\"team-2\"}");
            final Map<String, Object> joined2 = member.next();
            assertEquals("joined", joined2.get("type"), "no group message arrives after leave");
        }
    }

    @Test
    void shouldStopDeliveringAfterUnsubscribe() throws Exception
    {
        try (WsClient client = WsClient.connect(node.wsUrl("topics=a,b")))
        {
            client.next();
            client.send("{\"op\":\"unsubscribe\",\"topics\":[\"a\",\"never-subscribed\"]}");
            final Map<String, Object> reply = client.next();
            assertEquals("unsubscribed", reply.get("type"));
            assertEquals(List.of("a", "never-subscribed"), reply.get("topics"));
            publish("a", "gone");
            final long b = publish("b", "still here");
            assertEquals(b, WsClient.id(client.next()));
        }
    }

    @Test
    void shouldEncodeEachMessageOnceWhateverTheNumberOfSubscribers() throws Exception
    {
        final int subscribers = 40;
        final int messages = 25;
        final List<WsClient> clients = new ArrayList<>();
        try
        {
            for (int i = 0; i < subscribers; i++)
            {
                final WsClient client = WsClient.connect(node.wsUrl("topics=fan"));
                client.next();
                clients.add(client);
            }
            final long encodedBefore = node.node.counters().framesEncoded.get();
            final long queuedBefore = node.node.counters().framesQueued.get();
            for (int i = 0; i < messages; i++)
            {
                publish("fan", "message " + i);
            }
            for (final WsClient client : clients)
            {
                for (int i = 0; i < messages; i++)
                {
                    assertEquals(i + 1, WsClient.id(client.next()));
                }
            }
            assertEquals(messages, node.node.counters().framesEncoded.get() - encodedBefore);
            assertEquals((long)messages * subscribers, node.node.counters().framesQueued.get() - queuedBefore);
            final String metrics = Http.get(node.httpUrl("/metrics")).body();
            assertTrue(metricValue(metrics, "ringcast_ws_socket_writes_total") > 0, metrics);
            assertEquals(node.node.counters().framesEncoded.get(), metricValue(metrics, "ringcast_frames_encoded_total"));
        }
        finally
        {
            clients.forEach(WsClient::close);
        }
    }

    static long metricValue(final String metrics, final String name)
    {
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name + " in\n" + metrics);
    }

    @Test
    void shouldAnswerEveryRequestInOrderWithHeadAndEpoch() throws Exception
    {
        publish("x", "before");
        try (WsClient client = WsClient.connect(node.wsUrl("topics=x&group=g")))
        {
            final Map<String, Object> subscribed = client.next();
            assertEquals("subscribed", subscribed.get("type"));
            assertEquals(1L, ((Number)subscribed.get("head")).longValue());
            assertEquals("joined", client.next().get("type"));
            client.send("{\"op\":\"subscribe\",\"topics\":[\"y\"]}");
            client.send("not json");
            client.send("{\"op\":\"join\",\"group\":\"h\",\"extra\":{\"ignored\":true}}");
            assertEquals("subscribed", client.next().get("type"));
            final Map<String, Object> error = client.next();
            assertEquals("error", error.get("type"));
            assertEquals("bad_request", error.get("code"));
            assertFalse(((String)error.get("message")).isEmpty());
            assertEquals("joined", client.next().get("type"));
        }
    }
}
