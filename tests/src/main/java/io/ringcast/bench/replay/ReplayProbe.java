package io.ringcast.bench.replay;

import io.ringcast.bench.ws.BlockingWebSocketClient;
import io.ringcast.bench.ws.WebSocketCodec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single-client replay measurements over {@link BlockingWebSocketClient}: the time from a {@code subscribe} with
 * {@code from} to the first replayed message, and the rate at which one client receives a long replay. Each
 * measurement uses a fresh connection, upgraded before the clock starts.
 */
final class ReplayProbe
{
    static final int READ_BUFFER_BYTES = 1024 * 1024;
    private static final Pattern HEAD = Pattern.compile("\"head\":(\\d+)");
    private static final Pattern RECOVERED = Pattern.compile("\"recovered\":(true|false)");

    /** One time-to-first-message trial; times from just before the subscribe was written. */
    record FirstMessage(long fromId, long subscribedNs, long firstMessageNs, long firstId, long head)
    {
    }

    /**
     * One replay read to the end: {@code messages} in id order, {@code firstMessageNs} after the subscribe, then
     * {@code streamNs} from the first to the last.
     */
    record Throughput(long fromId, long messages, long payloadBytes, long firstMessageNs, long streamNs, long lastId)
    {
        double messagesPerSecond()
        {
            return streamNs > 0 ? messages * 1e9 / streamNs : 0;
        }

        double megabytesPerSecond()
        {
            return streamNs > 0 ? payloadBytes * 1e9 / streamNs / (1024 * 1024) : 0;
        }
    }

    private ReplayProbe()
    {
    }

    /** {@code {"op":"subscribe","topics":["T"],"from":F}}. */
    static byte[] subscribeRequest(final String topic, final long fromId)
    {
        return ("{\"op\":\"subscribe\",\"topics\":[\"" + topic + "\"],\"from\":" + fromId + "}")
            .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Subscribe with {@code from = fromId} and time the {@code subscribed} reply and the first message after it,
     * which must be id {@code fromId + 1} (the journal holds only this topic's messages up to there).
     */
    static FirstMessage firstMessage(
        final InetSocketAddress http, final String topic, final long fromId, final int timeoutMs) throws IOException
    {
        try (BlockingWebSocketClient client = BlockingWebSocketClient.connect(http, timeoutMs, READ_BUFFER_BYTES))
        {
            final byte[] request = subscribeRequest(topic, fromId);
            final long startNs = System.nanoTime();
            client.sendText(request);
            final long head = awaitSubscribed(client, fromId);
            final long subscribedNs = System.nanoTime() - startNs;
            final long id = nextMessageId(client);
            final long firstMessageNs = System.nanoTime() - startNs;
            if (id != fromId + 1)
            {
                throw new IOException("from " + fromId + ": first replayed id is " + id + ", expected " + (fromId + 1));
            }
            return new FirstMessage(fromId, subscribedNs, firstMessageNs, id, head);
        }
    }

    /**
     * The round trip of a plain {@code subscribe} (no {@code from}, nothing to replay) to its {@code subscribed}
     * reply: the node's request path alone, to set the first-message times against.
     */
    static long plainSubscribeNs(final InetSocketAddress http, final String topic, final int timeoutMs) throws IOException
    {
        try (BlockingWebSocketClient client = BlockingWebSocketClient.connect(http, timeoutMs, READ_BUFFER_BYTES))
        {
            final byte[] request = ("{\"op\":\"subscribe\",\"topics\":[\"" + topic + "\"]}").getBytes(StandardCharsets.US_ASCII);
            final long startNs = System.nanoTime();
            client.sendText(request);
            while (true)
            {
                final int opcode = client.readFrame();
                if (opcode == WebSocketCodec.OPCODE_CLOSE)
                {
                    throw new IOException("closed by the node with " + client.closeCode() + " before the subscribed reply");
                }
                if (client.messageId() < 0 && client.payloadText().contains("\"type\":\"subscribed\""))
                {
                    return System.nanoTime() - startNs;
                }
            }
        }
    }

    /**
     * Subscribe with {@code from = fromId} and read {@code count} messages as fast as possible; ids must follow
     * each other without a gap (the journal holds only this topic's messages in that range).
     */
    static Throughput throughput(
        final InetSocketAddress http, final String topic, final long fromId, final long count, final int timeoutMs)
        throws IOException
    {
        try (BlockingWebSocketClient client = BlockingWebSocketClient.connect(http, timeoutMs, READ_BUFFER_BYTES))
        {
            final byte[] request = subscribeRequest(topic, fromId);
            final long startNs = System.nanoTime();
            client.sendText(request);
            awaitSubscribed(client, fromId);
            long expected = fromId + 1;
            long firstNs = 0;
            long bytes = 0;
            for (long received = 0; received < count; received++)
            {
                final long id = nextMessageId(client);
                if (received == 0)
                {
                    firstNs = System.nanoTime();
                }
                if (id != expected)
                {
                    throw new IOException("replay from " + fromId + ": got id " + id + " where " + expected +
                        " was due (after " + received + " messages)");
                }
                expected++;
                bytes += client.payloadLength();
            }
            final long endNs = System.nanoTime();
            return new Throughput(fromId, count, bytes, firstNs - startNs, endNs - firstNs, expected - 1);
        }
    }

    /**
     * Read frames until the {@code subscribed} reply, which must say {@code recovered:true}.
     *
     * @return the head it reports.
     */
    static long awaitSubscribed(final BlockingWebSocketClient client, final long fromId) throws IOException
    {
        while (true)
        {
            final int opcode = client.readFrame();
            if (opcode == WebSocketCodec.OPCODE_CLOSE)
            {
                throw new IOException("closed by the node with " + client.closeCode() + " before the subscribed reply");
            }
            if (client.messageId() >= 0)
            {
                throw new IOException("a message arrived before the subscribed reply");
            }
            final String text = client.payloadText();
            if (text.contains("\"type\":\"subscribed\""))
            {
                final Matcher recovered = RECOVERED.matcher(text);
                if (!recovered.find() || !"true".equals(recovered.group(1)))
                {
                    throw new IOException("resume from " + fromId + " not recovered: " + text);
                }
                final Matcher head = HEAD.matcher(text);
                return head.find() ? Long.parseLong(head.group(1)) : -1;
            }
            if (text.contains("\"type\":\"error\""))
            {
                throw new IOException("subscribe refused: " + text);
            }
        }
    }

    /** Read frames until the next message and return its id (no allocation on the way). */
    static long nextMessageId(final BlockingWebSocketClient client) throws IOException
    {
        while (true)
        {
            final int opcode = client.readFrame();
            if (opcode == WebSocketCodec.OPCODE_CLOSE)
            {
                throw new IOException("closed by the node with " + client.closeCode() + " during the replay");
            }
            final long id = client.messageId();
            if (id >= 0)
            {
                return id;
            }
        }
    }
}
