package io.ringcast.bench.baseline;

import io.ringcast.transport.codec.JsonText;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The seed design's hub: every connected client and its topics in one {@link HashMap}, every operation under the
 * hub's monitor. A publish takes the next dense id, builds the message text once and offers the same {@code String}
 * to each subscriber's bounded queue; a subscriber whose queue is full is removed from the map and dropped (closed).
 * <p>
 * Threading: any thread (ingest connections, Undertow I/O threads); the lock serialises them, which also keeps ids
 * in delivery order.
 */
final class Hub
{
    /** The seed's per-client {@code send} channel capacity. */
    static final int DEFAULT_QUEUE_MESSAGES = 256;

    private final Map<HubClient, List<String>> clients = new HashMap<>();
    private final int queueMessages;
    private long lastId;
    private long droppedClients;

    Hub(final int queueMessages)
    {
        this.queueMessages = queueMessages;
    }

    int queueMessages()
    {
        return queueMessages;
    }

    /** Register a client and queue its {@code subscribed} reply, so it precedes every message it is sent. */
    synchronized void add(final HubClient client, final List<String> topics)
    {
        final StringBuilder reply = new StringBuilder(64 + 32 * topics.size()).append("{\"type\":\"subscribed\",\"topics\":[");
        for (int i = 0; i < topics.size(); i++)
        {
            reply.append(i == 0 ? "" : ",").append(JsonText.quote(topics.get(i)));
        }
        reply.append("],\"head\":").append(lastId).append(",\"epoch\":\"baseline\"}");
        if (client.offer(reply.toString()))
        {
            clients.put(client, topics);
        }
    }

    /** Forget a client (its connection closed). */
    synchronized void remove(final HubClient client)
    {
        clients.remove(client);
    }

    /**
     * Take the next id and broadcast {@code {"id":N,"topic":T,"data":DATA}} to every subscriber of {@code topic}.
     *
     * @param dataJson the payload as JSON text (already a JSON value).
     * @return the id.
     */
    synchronized long publish(final String topic, final String dataJson)
    {
        final long id = ++lastId;
        final String message = "{\"id\":" + id + ",\"topic\":\"" + topic + "\",\"data\":" + dataJson + "}";
        final Iterator<Map.Entry<HubClient, List<String>>> entries = clients.entrySet().iterator();
        while (entries.hasNext())
        {
            final Map.Entry<HubClient, List<String>> entry = entries.next();
            if (entry.getValue().contains(topic) && !entry.getKey().offer(message))
            {
                entries.remove();
                droppedClients++;
                entry.getKey().drop();
            }
        }
        return id;
    }

    /** Clients dropped because their queue was full. */
    synchronized long droppedClients()
    {
        return droppedClients;
    }

    /** Close every client with 1001 (shutdown). */
    synchronized void closeAll()
    {
        for (final HubClient client : clients.keySet())
        {
            client.close(1001, "shutting down");
        }
        clients.clear();
    }
}
