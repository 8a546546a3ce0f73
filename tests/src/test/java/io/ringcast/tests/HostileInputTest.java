package io.ringcast.tests;

import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile input on both ports of a running node: garbage, half frames, half-open and aborted connections, slow
 * senders, every kind of WebSocket framing violation, huge length fields, invalid UTF-8. Each input gets the answer
 * the contract gives it, and afterwards the node still answers {@code /health}, takes a new client that receives a
 * new publish, acknowledges publishes, has no more threads than before, no connection left open, and no
 * acknowledged message lost. Seeds are fixed; every wait is bounded.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileInputTest
{
    private static final long SEED = 0xBAD_1A9E7L;
    private static final int MAX_PAYLOAD = 4096;
    private static final long MAX_FRAME_LENGTH = MAX_PAYLOAD + 64 * 1024;
    private static final int THREAD_TOLERANCE = 2;
    /** The JDK caches a temporary direct buffer per thread for socket writes from heap arrays (up to 2 MiB here). */
    private static final long DIRECT_MEMORY_TOLERANCE_BYTES = 16 << 20;
    private static final long HEAP_TOLERANCE_BYTES = 32 << 20;
    private static final int FIN = 0x80;

    @TempDir
    Path dir;
    TestNode node;
    private final List<Socket> keptOpen = new CopyOnWriteArrayList<>();
    private final List<Thread> helpers = new CopyOnWriteArrayList<>();
    private final List<String> helperFailures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start()
    {
        node = TestNode.start(dir.resolve("journal"), "--max-payload", Integer.toString(MAX_PAYLOAD));
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final Socket socket : keptOpen)
        {
            socket.close();
        }
        for (final Thread thread : helpers)
        {
            thread.join(Await.TIMEOUT.toMillis());
        }
        node.close();
        assertEquals(List.of(), helperFailures, "background senders and publishers");
    }

    @Test
    void shouldAnswerHostileIngestInputAndStayHealthy() throws Exception
    {
        final Baseline baseline = warmUpAndMeasure();
        final Random random = new Random(SEED);
        final long slowId = ingestBarrage(random);
        assertNodeServesAndHoldsNothing(baseline);
        assertReplayedIds("slow", Set.of(slowId));
        assertReplayedIds("half-frame", Set.of());
    }

    @Test
    void shouldAnswerHostileHttpAndWebSocketInputAndStayHealthy() throws Exception
    {
        final Baseline baseline = warmUpAndMeasure();
        final Random random = new Random(SEED + 1);
        httpBarrage(random);
        webSocketBarrage(random);
        assertNodeServesAndHoldsNothing(baseline);
        assertReplayedIds("chunked", Set.of());
    }

    @Test
    void shouldLoseNoAcknowledgedMessageWhileBothPortsAreUnderAttack() throws Exception
    {
        final Baseline baseline = warmUpAndMeasure();
        final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        try (IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            for (int i = 0; i < 200; i++)
            {
                final String payload = "before-" + i;
                acknowledged.put(publisher.publish("acked", 0, utf8(payload)), payload);
            }
        }
        final AtomicBoolean attacking = new AtomicBoolean(true);
        final Thread ingestPublisher = publisherThread("ingest-publisher", attacking, acknowledged, false);
        final Thread httpPublisher = publisherThread("http-publisher", attacking, acknowledged, true);
        try
        {
            final Random random = new Random(SEED + 2);
            ingestBarrage(random);
            httpBarrage(random);
            webSocketBarrage(random);
        }
        finally
        {
            attacking.set(false);
            ingestPublisher.join(Await.TIMEOUT.toMillis());
            httpPublisher.join(Await.TIMEOUT.toMillis());
        }
        assertEquals(List.of(), helperFailures, "publishers");
        assertTrue(acknowledged.size() > 250, "publishes acknowledged during the attack: " + acknowledged.size());

        // Resume from the start: every acknowledged id is replayed, with the payload it was acknowledged for.
        final Map<Long, String> replayed = new TreeMap<>();
        try (WsClient client = WsClient.connect(node.wsUrl("topics=acked&from=0")))
        {
            final Map<String, Object> subscribed = client.next();
            assertEquals("subscribed", subscribed.get("type"));
            assertEquals(Boolean.TRUE, subscribed.get("recovered"));
            long last = 0;
            while (!replayed.keySet().containsAll(acknowledged.keySet()))
            {
                final Map<String, Object> message = client.next();
                final long id = WsClient.id(message);
                assertTrue(id > last, "ids increase: " + id + " after " + last);
                last = id;
                replayed.put(id, (String)message.get("data"));
            }
        }
        for (final Map.Entry<Long, String> entry : acknowledged.entrySet())
        {
            assertEquals(entry.getValue(), replayed.get(entry.getKey()), "payload of id " + entry.getKey());
        }
        assertNodeServesAndHoldsNothing(baseline);
    }

    /**
     * A publisher that announces a large frame and sends nothing more costs the node a read buffer of the announced
     * size, at once: {@code IngestConnection.decodeFrames} calls {@code growReadBuffer(4 + length)} as soon as the
     * 4-byte length is in. Eight bytes per connection pin 1.06 MiB of heap each (with the default 1 MiB
     * --max-payload). Run as a process with -Xmx256m, 300 such connections (2.4 KB sent in all) end in an
     * OutOfMemoryError that kills the ingest thread (it catches only IOException and RuntimeException) and the
     * housekeeping thread; the port still accepts TCP connections but never answers again. (Found by this test; fixed.)
     */
    @Test
    void shouldNotReserveMemoryForFrameLengthsAnnouncedButNotSent() throws Exception
    {
        try (TestNode big = TestNode.start(dir.resolve("journal-big")))
        {
            final long heapBefore = usedHeapAfterGc();
            final List<Socket> sockets = new ArrayList<>();
            try
            {
                final long announced = (1 << 20) + 64 * 1024; // the largest length the default settings allow
                for (int i = 0; i < 200; i++)
                {
                    final Socket socket = new Socket("127.0.0.1", big.ingestPort());
                    sockets.add(socket);
                    socket.getOutputStream().write(ByteBuffer.allocate(8).putInt((int)announced).put((byte)0)
                        .putShort((short)1).put((byte)'t').array());
                }
                try (IngestClient probe = IngestClient.connect("127.0.0.1", big.ingestPort()))
                {
                    probe.publish("t", 0, utf8("after the announcements"));
                }
                final long grownBytes = usedHeapAfterGc() - heapBefore;
                assertTrue(grownBytes < 64L << 20, "200 connections that sent 8 bytes each hold " +
                    (grownBytes >> 20) + " MiB of heap");
            }
            finally
            {
                for (final Socket socket : sockets)
                {
                    socket.close();
                }
            }
        }
    }

    /**
     * A client that sends pings and never reads: {@code ClientSession.onPing} queues a new pong ByteBuffer for every
     * ping in {@code controlFrames}, which is unbounded, and reading goes on while pongs cannot be written. Run as a
     * process with -Xmx256m, one such client sending 164 MB of pings brings the node down with OutOfMemoryError
     * (XNIO I/O, accept, ingest and housekeeping threads die; /health stops answering). RFC 6455 5.5.3 allows
     * answering only the latest ping. (Found by this test; fixed.)
     */
    @Test
    void shouldNotQueueAPongPerPingForAClientThatDoesNotRead() throws Exception
    {
        final long heapBefore = usedHeapAfterGc();
        try (RawWebSocket flooder = RawWebSocket.connect(node.httpPort(), "", 4096))
        {
            final byte[] ping = RawWebSocket.frame(0x9, true, new byte[125], true);
            final byte[] burst = new byte[ping.length * 1000];
            for (int i = 0; i < 1000; i++)
            {
                System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
            }
            final Thread writer = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < 400; i++) // 52 MB, 400,000 pings
                    {
                        flooder.out.write(burst);
                    }
                    flooder.out.flush();
                }
                catch (final IOException stopped)
                {
                    // the node pushed back or closed: both are fine
                }
            }, "ping-flood");
            writer.start();
            writer.join(8_000);
            // The node has read what it was going to read; whatever it still holds for this client is measured.
            final long grownBytes = usedHeapAfterGc() - heapBefore;
            flooder.close();
            writer.join(Await.TIMEOUT.toMillis());
            assertTrue(grownBytes < 32L << 20, "a client that sent 400,000 pings and read nothing costs " +
                (grownBytes >> 20) + " MiB of heap");
        }
    }

    /**
     * One client subscribes to 80,000 distinct names (200 per request, 250 bytes each) and unsubscribes from each
     * at once, then disconnects: nobody is subscribed to anything, yet the fan-out keeps a {@code Channel} per name
     * ever used ({@code ChannelTable} never removes one: "Channels are kept once created"). The WebSocket port is
     * open to the network by default, so any client can grow the fan-out's heap without bound, about 600 bytes per
     * name (200,000 names held 121 MiB), until the node runs out of memory. (Found by this test; fixed.)
     */
    @Test
    void shouldNotKeepMemoryForNamesNobodyIsSubscribedTo() throws Exception
    {
        final long heapBefore = usedHeapAfterGc();
        final Random random = new Random(SEED + 3);
        try (RawWebSocket ws = RawWebSocket.connect(node.httpPort(), ""))
        {
            for (int request = 0; request < 400; request++)
            {
                final StringBuilder names = new StringBuilder();
                for (int i = 0; i < 200; i++)
                {
                    names.append(i == 0 ? "\"" : ",\"").append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36))
                        .append('-').append(request).append('-').append(i).append("x".repeat(230)).append('"');
                }
                ws.sendText("{\"op\":\"subscribe\",\"topics\":[" + names + "]}");
                ws.sendText("{\"op\":\"unsubscribe\",\"topics\":[" + names + "]}");
                assertTrue(ws.readFrame().text().startsWith("{\"type\":\"subscribed\""));
                assertTrue(ws.readFrame().text().startsWith("{\"type\":\"unsubscribed\""));
            }
        }
        Await.until("the client is gone", () -> node.node.metrics().openConnections() == 0);
        final long grownBytes = usedHeapAfterGc() - heapBefore;
        assertTrue(grownBytes < 16L << 20, "80,000 names nobody is subscribed to any more hold " + (grownBytes >> 20) +
            " MiB of heap");
    }

    /**
     * RFC 6455 4.2.2: a handshake the server cannot accept gets 400 Bad Request; a version it does not speak gets 426
     * Upgrade Required with the {@code Sec-WebSocket-Version} it does speak. Each case expects its one status (an
     * early version of the node answered all of them with 404 not_found).
     */
    @Test
    void shouldRefuseABadUpgradeAsABadRequestNotAMissingPath() throws Exception
    {
        final String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        final String upgrade = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        // Each case names the one status RFC 6455 4.2.2 gives it: 426 only for a version this server does not speak.
        final Map<String, String> requests = new LinkedHashMap<>();
        final Map<String, String> expectedStatus = new LinkedHashMap<>();
        requests.put("no key", upgrade + "Sec-WebSocket-Version: 13\r\n\r\n");
        expectedStatus.put("no key", "HTTP/1.1 400");
        requests.put("blank key", upgrade + "Sec-WebSocket-Key:  \r\nSec-WebSocket-Version: 13\r\n\r\n");
        expectedStatus.put("blank key", "HTTP/1.1 400");
        requests.put("no upgrade", "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n");
        expectedStatus.put("no upgrade", "HTTP/1.1 400");
        requests.put("POST upgrade", upgrade.replace("GET", "POST") + key + "Sec-WebSocket-Version: 13\r\n" +
            "Content-Length: 0\r\n\r\n");
        expectedStatus.put("POST upgrade", "HTTP/1.1 400");
        requests.put("version 99", upgrade + key + "Sec-WebSocket-Version: 99\r\n\r\n");
        expectedStatus.put("version 99", "HTTP/1.1 426");
        requests.put("no version", upgrade + key + "\r\n");
        expectedStatus.put("no version", "HTTP/1.1 426");
        for (final Map.Entry<String, String> request : requests.entrySet())
        {
            final String response = httpExchange(utf8(request.getValue()));
            final String status = response.isEmpty() ? "(nothing)" : response.substring(0, response.indexOf('\r'));
            final String expected = expectedStatus.get(request.getKey());
            assertTrue(status.startsWith(expected), request.getKey() + ": expected " + expected + ", got " + status);
            if (expected.endsWith("426"))
            {
                assertTrue(response.toLowerCase(Locale.ROOT).contains("sec-websocket-version: 13\r\n"),
                    request.getKey() + ": a 426 names the version this server speaks: " + response);
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Barrages
    // -----------------------------------------------------------------------------------------------------------

    /** Everything the ingest port can be sent that is wrong. @return the id the slow sender's frame got. */
    private long ingestBarrage(final Random random) throws Exception
    {
        final long[] slowId = new long[1];
        final Thread slow = helper("slow-ingest-sender", () ->
        {
            // A valid frame, one byte per 100 ms: answered once complete.
            try (Socket socket = ingestSocket())
            {
                final byte[] frame = ingestFrame(0, "slow", utf8("hi"));
                for (final byte b : frame)
                {
                    socket.getOutputStream().write(b);
                    socket.getOutputStream().flush();
                    Thread.sleep(100);
                }
                final List<Long> replies = readReplies(socket, 1);
                assertEquals(1, replies.size());
                assertEquals(PublishStatus.OK, IngestClient.status(replies.get(0)));
                slowId[0] = IngestClient.id(replies.get(0));
            }
        });

        // Garbage, then half-close: well-formed replies (if any), then the node closes.
        for (int i = 0; i < 40; i++)
        {
            final byte[] garbage = randomBytes(random, 1 + random.nextInt(600));
            for (final long reply : ingestExchange(garbage, true))
            {
                final int status = IngestClient.status(reply);
                assertTrue(status == PublishStatus.OK || status == PublishStatus.BAD_TARGET ||
                    status == PublishStatus.PAYLOAD_TOO_LARGE || status == PublishStatus.BAD_PAYLOAD ||
                    status == PublishStatus.BAD_FRAME, "status " + status);
                assertEquals(status == PublishStatus.OK, IngestClient.id(reply) > 0);
            }
        }

        // Bad lengths close the connection at once, without a reply, the client still sending or not.
        for (final long length : new long[]{0xFFFF_FFFFL, 0x8000_0000L, 0, 1, 2, MAX_FRAME_LENGTH + 1})
        {
            final byte[] bytes = ByteBuffer.allocate(64).putInt((int)length).array();
            assertEquals(List.of(), ingestExchange(bytes, false), "length " + length);
        }

        // Replies to earlier frames come before the close.
        final ByteArrayOutputStream okThenBad = new ByteArrayOutputStream();
        okThenBad.writeBytes(ingestFrame(0, "acked", utf8("ok then bad length")));
        okThenBad.writeBytes(new byte[]{0, 0, 0, 2, 1, 2});
        final List<Long> okReplies = ingestExchange(okThenBad.toByteArray(), false);
        assertEquals(1, okReplies.size());
        assertEquals(PublishStatus.OK, IngestClient.status(okReplies.get(0)));

        // Each refusable frame gets its status, in order, on one connection that stays open.
        final ByteArrayOutputStream refusals = new ByteArrayOutputStream();
        refusals.writeBytes(ingestFrame(0x04, "t", utf8("unknown flag bit")));
        refusals.writeBytes(ByteBuffer.allocate(4 + 5).putInt(5).put((byte)0).putShort((short)100).put(utf8("ab")).array());
        refusals.writeBytes(ingestFrame(0, "bad name", utf8("x")));
        refusals.writeBytes(ingestFrame(0, "t", new byte[MAX_PAYLOAD + 1]));
        refusals.writeBytes(ingestFrame(0, "t", new byte[]{'"', (byte)0xC0, (byte)0xAF, '"'}));
        refusals.writeBytes(ingestFrame(0x01, "t", utf8("{\"unclosed\":")));
        refusals.writeBytes(ingestFrame(0x01, "t", new byte[]{'"', (byte)0xED, (byte)0xA0, (byte)0x80, '"'}));
        refusals.writeBytes(ingestFrame(0, "", utf8("empty target")));
        refusals.writeBytes(ingestFrame(0x07, "bad name", new byte[]{(byte)0xFF})); // bad frame wins
        refusals.writeBytes(ingestFrame(0, "bad name", new byte[MAX_PAYLOAD + 1])); // bad target wins
        refusals.writeBytes(ingestFrame(0x01, "t", new byte[MAX_PAYLOAD + 1])); // too large wins over bad JSON
        refusals.writeBytes(ingestFrame(0x01, "t", utf8("{\"ok\":[1,2.5e3,null]}")));
        refusals.writeBytes(ingestFrame(0x02, "group", utf8("to a group")));
        final List<Integer> statuses = new ArrayList<>();
        for (final long reply : ingestExchange(refusals.toByteArray(), true))
        {
            statuses.add(IngestClient.status(reply));
        }
        assertEquals(List.of(5, 5, 1, 2, 3, 3, 3, 1, 5, 1, 2, 0, 0), statuses);

        // Half a frame, then a clean close: dropped, never answered, never journaled.
        final byte[] half = ingestFrame(0, "half-frame", new byte[100]);
        assertEquals(List.of(), ingestExchange(Arrays.copyOf(half, 50), true));
        // Half a frame, then an abort (RST).
        try (Socket socket = ingestSocket())
        {
            socket.getOutputStream().write(half, 0, 30);
            socket.setSoLinger(true, 0);
        }
        // Half a frame, and the connection left open while the node is checked.
        final Socket halfOpen = ingestSocket();
        keptOpen.add(halfOpen);
        halfOpen.getOutputStream().write(half, 0, 20);
        // Connections opened and dropped without a byte.
        for (int i = 0; i < 50; i++)
        {
            ingestSocket().close();
        }

        slow.join(Await.TIMEOUT.toMillis());
        assertFalse(slow.isAlive());
        assertTrue(slowId[0] > 0, "the slow sender's frame was acknowledged");
        return slowId[0];
    }

    /** Garbage and broken requests on the HTTP port, before any upgrade. */
    private void httpBarrage(final Random random) throws Exception
    {
        final Thread slow = helper("slow-http-sender", () ->
        {
            try (Socket socket = httpSocket())
            {
                final byte[] request = utf8("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                for (int i = 0; i < request.length; i++)
                {
                    socket.getOutputStream().write(request[i]);
                    socket.getOutputStream().flush();
                    if (i < 12)
                    {
                        Thread.sleep(100);
                    }
                }
                socket.shutdownOutput();
                final String response = readAll(socket.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
            }
        });

        for (int i = 0; i < 40; i++)
        {
            final String response = httpExchange(randomBytes(random, 1 + random.nextInt(600)));
            assertTrue(response.isEmpty() || response.startsWith("HTTP/1.1 400"), response);
        }
        final String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        final String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
        for (final String request : List.of(
            "GET /ws HTTP/1.1\r\nHost: x\r\n" + upgrade + "Sec-WebSocket-Version: 13\r\n\r\n",
            "GET /ws HTTP/1.1\r\nHost: x\r\n" + upgrade + key + "Sec-WebSocket-Version: 99\r\n\r\n",
            "GET /ws HTTP/1.1\r\nHost: x\r\n" + upgrade + key + "\r\n",
            "POST /ws HTTP/1.1\r\nHost: x\r\n" + upgrade + key + "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n",
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n",
            "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n"))
        {
            final String response = httpExchange(utf8(request));
            assertTrue(response.startsWith("HTTP/1.1 4"), request + " -> " + response);
        }
        for (final String request : List.of(
            "GET /ws?topics=bad%20name HTTP/1.1\r\nHost: x\r\n" + upgrade + key + "Sec-WebSocket-Version: 13\r\n\r\n",
            "GET /ws?topics=a&from=-1 HTTP/1.1\r\nHost: x\r\n" + upgrade + key + "Sec-WebSocket-Version: 13\r\n\r\n",
            "POST /publish?topic=t HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n\u00c0\u00af",
            "POST /publish?topic=t HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n{",
            "POST /publish?topic=t HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "POST /publish?topic=t HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nhello",
            "GET /health HTTP/1.1\r\nHost: x\u0000y\r\n\r\n"))
        {
            final byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
            final String response = httpExchange(bytes);
            assertTrue(response.startsWith("HTTP/1.1 400"), request.substring(0, Math.min(60, request.length())) +
                " -> " + response.substring(0, Math.min(200, response.length())));
        }
        // Broken chunked encoding on a publish: Undertow drops the connection (or answers 400); nothing is published.
        final String chunked = httpExchange(utf8("POST /publish?topic=chunked HTTP/1.1\r\nHost: x\r\n" +
            "Transfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n"));
        assertTrue(chunked.isEmpty() || chunked.startsWith("HTTP/1.1 400"), chunked);
        // The older drafts Undertow still speaks (hybi-07/08) are upgraded: their framing is RFC 6455's.
        final String draft = httpExchange(utf8("GET /ws HTTP/1.1\r\nHost: x\r\n" + upgrade + key +
            "Sec-WebSocket-Version: 8\r\n\r\n"));
        assertTrue(draft.startsWith("HTTP/1.1 101"), draft);
        // A 2 MiB header: refused with 400, or the connection is reset while the client is still sending it.
        final String big = httpExchange(utf8("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2 << 20) + "\r\n\r\n"));
        assertTrue(big.isEmpty() || big.startsWith("HTTP/1.1 400"), big);
        final Socket halfRequest = httpSocket();
        keptOpen.add(halfRequest);
        halfRequest.getOutputStream().write(utf8("GET /health HTTP/1.1\r\nHo"));

        slow.join(Await.TIMEOUT.toMillis());
        assertFalse(slow.isAlive());
    }

    /** Upgraded connections that break RFC 6455, send garbage, stall or vanish. */
    private void webSocketBarrage(final Random random) throws Exception
    {
        final Thread slow = helper("slow-ws-sender", () ->
        {
            try (RawWebSocket ws = RawWebSocket.connect(node.httpPort(), ""))
            {
                final byte[] frame = RawWebSocket.frame(0x1, true, utf8("{\"op\":\"subscribe\",\"topics\":[\"s\"]}"), true);
                for (int i = 0; i < frame.length; i++)
                {
                    ws.out.write(frame[i]);
                    ws.out.flush();
                    if (i < 12)
                    {
                        Thread.sleep(100);
                    }
                }
                assertTrue(ws.readFrame().text().contains("\"subscribed\""));
            }
        });

        // Upgrade, then garbage, then half-close: the node closes (with a close frame if the garbage broke a rule).
        for (int i = 0; i < 40; i++)
        {
            try (RawWebSocket ws = RawWebSocket.connect(node.httpPort(), ""))
            {
                final byte[] garbage = randomBytes(random, 1 + random.nextInt(400));
                if ((garbage[0] & 0x0F) == 0x8)
                {
                    garbage[0] ^= 0x01; // not a close frame: the node would echo its code, whatever it is
                }
                ws.sendRaw(garbage);
                ws.socket.shutdownOutput();
                final int code = readCloseCodeOrEnd(ws);
                // Ended without a close frame (EOF at a frame boundary or mid-frame), or closed for a broken rule:
                // protocol error, bad UTF-8, policy or too big. Never 1011 (internal error) nor a normal close.
                assertTrue(code == -1 || code == 1002 || code == 1007 || code == 1008 || code == 1009,
                    "close code " + code + " for garbage starting 0x" + Integer.toHexString(garbage[0] & 0xFF));
            }
        }

        final byte[] twoBytes = utf8("{}");
        final Map<String, Integer> expectedCodes = new LinkedHashMap<>();
        final Map<String, byte[]> violations = new LinkedHashMap<>();
        violations.put("unmasked text", RawWebSocket.frame(0x1, true, twoBytes, false));
        violations.put("unmasked ping", RawWebSocket.frame(0x9, true, twoBytes, false));
        violations.put("length 2^63", header(FIN | 0x1, 127, Long.MIN_VALUE));
        violations.put("length 2^64-1", header(FIN | 0x1, 127, -1L));
        violations.put("length 2^63-1", header(FIN | 0x1, 127, Long.MAX_VALUE));
        violations.put("length 64 KiB + 1", header(FIN | 0x2, 127, 65_537));
        violations.put("RSV1", RawWebSocket.frame(0x40 | 0x1, true, twoBytes, true));
        violations.put("RSV2", RawWebSocket.frame(0x20 | 0x1, true, twoBytes, true));
        violations.put("RSV3", RawWebSocket.frame(0x10 | 0x9, true, twoBytes, true));
        violations.put("opcode 3", RawWebSocket.frame(0x3, true, twoBytes, true));
        violations.put("opcode 0xB", RawWebSocket.frame(0xB, true, twoBytes, true));
        violations.put("fragmented ping", RawWebSocket.frame(0x9, false, twoBytes, true));
        violations.put("fragmented close", RawWebSocket.frame(0x8, false, new byte[]{3, (byte)0xE8}, true));
        violations.put("ping of 126 bytes", RawWebSocket.frame(0x9, true, new byte[126], true));
        violations.put("continuation first", RawWebSocket.frame(0x0, true, twoBytes, true));
        violations.put("text inside a fragmented text", concat(
            RawWebSocket.frame(0x1, false, utf8("{\"op\":"), true), RawWebSocket.frame(0x1, true, twoBytes, true)));
        violations.put("invalid UTF-8", RawWebSocket.frame(0x1, true, new byte[]{'"', (byte)0xC0, (byte)0xAF, '"'}, true));
        violations.put("UTF-16 surrogate", RawWebSocket.frame(0x1, true, new byte[]{(byte)0xED, (byte)0xA0, (byte)0x80}, true));
        violations.put("invalid UTF-8 split over fragments", concat(
            RawWebSocket.frame(0x1, false, new byte[]{'"', (byte)0xE2}, true),
            RawWebSocket.frame(0x0, true, new byte[]{(byte)0x28, (byte)0xA1, '"'}, true)));
        violations.put("close with a 1-byte body", RawWebSocket.frame(0x8, true, new byte[]{3}, true));
        violations.put("fragments over 64 KiB", concat(
            RawWebSocket.frame(0x1, false, new byte[40 * 1024], true), RawWebSocket.frame(0x0, true, new byte[30 * 1024], true)));
        violations.put("close 1000", RawWebSocket.frame(0x8, true, new byte[]{3, (byte)0xE8}, true));
        violations.put("close without a body", RawWebSocket.frame(0x8, true, new byte[0], true));
        for (final String name : violations.keySet())
        {
            expectedCodes.put(name, name.startsWith("invalid UTF-8") || name.startsWith("UTF-16") ? 1007 :
                name.contains("64 KiB") || name.equals("length 2^63-1") ? 1009 : name.startsWith("close ") &&
                !name.contains("1-byte") ? 1000 : 1002);
        }
        for (final Map.Entry<String, byte[]> violation : violations.entrySet())
        {
            try (RawWebSocket ws = RawWebSocket.connect(node.httpPort(), "topics=v"))
            {
                assertTrue(ws.readFrame().text().contains("\"subscribed\""));
                ws.sendRaw(violation.getValue());
                assertEquals(expectedCodes.get(violation.getKey()), ws.readUntilClose(), violation.getKey());
                assertEquals(-1, readCloseCodeOrEnd(ws), violation.getKey() + ": TCP closed after the close frame");
            }
        }

        // Refused requests keep the connection: binary, not JSON, not an object, a bad op, a pong nobody asked for.
        try (RawWebSocket ws = RawWebSocket.connect(node.httpPort(), ""))
        {
            ws.sendRaw(RawWebSocket.frame(0x2, true, new byte[]{1, 2, 3}, true));
            ws.sendText("hello");
            ws.sendText("[1,2]");
            ws.sendText("{\"op\":\"subscribe\",\"topics\":[\"a\"],\"from\":1e2147483647}");
            ws.sendRaw(RawWebSocket.frame(0xA, true, utf8("unsolicited"), true));
            ws.sendRaw(RawWebSocket.frame(0x9, true, new byte[125], true));
            // Replies come from the fan-out thread, the pong from the I/O thread: their order is not fixed.
            int refusals = 0;
            int pongs = 0;
            for (int i = 0; i < 5; i++)
            {
                final RawWebSocket.Frame frame = ws.readFrame();
                if (frame.opcode() == 0xA)
                {
                    assertEquals(125, frame.body().length);
                    pongs++;
                }
                else
                {
                    assertTrue(frame.text().contains("\"code\":\"bad_request\""), frame.text());
                    refusals++;
                }
            }
            assertEquals(4, refusals);
            assertEquals(1, pongs);
            ws.sendText("{\"op\":\"subscribe\",\"topics\":[\"still-open\"]}");
            assertTrue(ws.readFrame().text().contains("\"subscribed\""));
        }

        // Half a frame then a clean close; half a frame then an abort; half a frame left open; silent.
        final byte[] half = Arrays.copyOf(RawWebSocket.frame(0x1, true, utf8("{\"op\":\"ack\",\"id\":1}"), true), 9);
        try (RawWebSocket ws = RawWebSocket.connect(node.httpPort(), ""))
        {
            ws.sendRaw(half);
            ws.socket.shutdownOutput();
            assertEquals(-1, readCloseCodeOrEnd(ws));
        }
        try (RawWebSocket ws = RawWebSocket.connect(node.httpPort(), ""))
        {
            ws.sendRaw(half);
            ws.socket.setSoLinger(true, 0);
        }
        final RawWebSocket halfOpen = RawWebSocket.connect(node.httpPort(), "topics=half-open");
        keptOpen.add(halfOpen.socket);
        halfOpen.sendRaw(half);
        final RawWebSocket silent = RawWebSocket.connect(node.httpPort(), "");
        keptOpen.add(silent.socket);

        slow.join(Await.TIMEOUT.toMillis());
        assertFalse(slow.isAlive());
    }

    // -----------------------------------------------------------------------------------------------------------
    // After the barrage
    // -----------------------------------------------------------------------------------------------------------

    /** Threads, direct memory and heap once the node and the test's own clients are warm. */
    private record Baseline(int threads, long directBytes, long heapBytes)
    {
    }

    private Baseline warmUpAndMeasure() throws Exception
    {
        assertNodeServes("warm-up");
        // A resume too: the node's first replay allocates its fixed replay frame cache (ReplayAgent.FRAME_CACHE_BYTES),
        // which belongs in the baseline, not in what the barrage leaves behind.
        try (WsClient client = WsClient.connect(node.wsUrl("topics=warm-up&from=0")))
        {
            assertEquals("subscribed", client.next().get("type"));
            assertEquals("still serving", client.next().get("data"));
        }
        Await.until("the warm-up resume replayed", () -> node.node.counters().framesReplayed.get() > 0);
        Await.until("warm-up clients closed", () -> node.node.metrics().openConnections() == 0);
        return new Baseline(liveThreads().size(), directMemoryAfterGc(), usedHeapAfterGc());
    }

    /** The node answers, delivers and acknowledges; then, once every connection is closed, holds nothing extra. */
    private void assertNodeServesAndHoldsNothing(final Baseline baseline) throws Exception
    {
        for (final Thread thread : helpers)
        {
            thread.join(Await.TIMEOUT.toMillis());
            assertFalse(thread.isAlive(), thread.getName() + " finished");
        }
        assertEquals(List.of(), helperFailures, "background senders");
        assertNodeServes("after");
        for (final Socket socket : keptOpen)
        {
            socket.close();
        }
        keptOpen.clear();
        Await.until("every WebSocket connection closed (ringcast_ws_connections 0)",
            () -> node.node.metrics().openConnections() == 0);
        try
        {
            Await.until("threads back to the baseline", () -> liveThreads().size() <= baseline.threads() + THREAD_TOLERANCE);
        }
        catch (final AssertionError ex)
        {
            fail(ex.getMessage() + ": " + baseline.threads() + " before, now " + liveThreads());
        }
        final long[] lastGcNs = {0};
        final long[] now = new long[2];
        try
        {
            Await.until("direct memory and heap back to the baseline", () ->
            {
                if (System.nanoTime() - lastGcNs[0] < 100_000_000L)
                {
                    return false; // collect at most every 100 ms while waiting for cleaners to free buffers
                }
                lastGcNs[0] = System.nanoTime();
                now[0] = directMemoryAfterGc();
                now[1] = usedHeapAfterGc();
                return now[0] <= baseline.directBytes() + DIRECT_MEMORY_TOLERANCE_BYTES &&
                    now[1] <= baseline.heapBytes() + HEAP_TOLERANCE_BYTES;
            });
        }
        catch (final AssertionError ex)
        {
            fail(ex.getMessage() + ": direct " + baseline.directBytes() + " -> " + now[0] + " bytes, heap " +
                baseline.heapBytes() + " -> " + now[1] + " bytes");
        }
        final String metrics = Http.get(node.httpUrl("/metrics")).body();
        for (final String gauge : List.of("ringcast_ws_connections", "ringcast_ws_queued_bytes",
            "ringcast_clients_in_catchup"))
        {
            assertTrue(metrics.contains("\n" + gauge + " 0\n"), gauge + " is 0 in\n" + metrics);
        }
        assertEquals(0, node.node.metrics().openConnections());
    }

    private void assertNodeServes(final String topic) throws Exception
    {
        final HttpResponse<String> health = Http.get(node.httpUrl("/health"));
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
        try (WsClient client = WsClient.connect(node.wsUrl("topics=" + topic));
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            assertEquals("subscribed", client.next().get("type"));
            final long id = publisher.publish(topic, 0, utf8("still serving"));
            final Map<String, Object> message = client.next();
            assertEquals(id, WsClient.id(message));
            assertEquals("still serving", message.get("data"));
            final HttpResponse<String> published = Http.post(node.httpUrl("/publish?topic=" + topic), "text/plain",
                utf8("over http"));
            assertEquals(200, published.statusCode(), published.body());
            assertEquals("over http", client.next().get("data"));
        }
    }

    /** Resume the topic from 0 and publish a marker: exactly these ids come before the marker. */
    private void assertReplayedIds(final String topic, final Set<Long> expected) throws Exception
    {
        try (WsClient client = WsClient.connect(node.wsUrl("topics=" + topic + "&from=0"));
             IngestClient publisher = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            assertEquals("subscribed", client.next().get("type"));
            final long marker = publisher.publish(topic, 0, utf8("marker"));
            final Set<Long> replayed = new TreeSet<>();
            while (true)
            {
                final long id = WsClient.id(client.next());
                if (id == marker)
                {
                    break;
                }
                replayed.add(id);
            }
            assertEquals(new TreeSet<>(expected), replayed, topic);
        }
    }

    /** Live threads, without the JDK HTTP client's own pool (it belongs to the test's clients and idles out). */
    private static List<String> liveThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(name -> !name.startsWith("HttpClient-") && !name.startsWith("ForkJoinPool"))
            .sorted()
            .collect(Collectors.toList());
    }

    private static long directMemoryAfterGc()
    {
        System.gc();
        long used = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if (pool.getName().equals("direct"))
            {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }

    private static long usedHeapAfterGc()
    {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    // -----------------------------------------------------------------------------------------------------------
    // Wire helpers
    // -----------------------------------------------------------------------------------------------------------

    /** Publishes to "acked" until told to stop, about one message a millisecond, recording what was acknowledged. */
    private Thread publisherThread(
        final String name, final AtomicBoolean running, final Map<Long, String> acknowledged, final boolean http)
    {
        return helper(name, () ->
        {
            int n = 0;
            try (IngestClient publisher = http ? null : IngestClient.connect("127.0.0.1", node.ingestPort()))
            {
                while (running.get())
                {
                    Thread.sleep(1); // pacing, not synchronisation: keeps the replay at the end short
                    final String payload = name + "-" + n++;
                    if (http)
                    {
                        final HttpResponse<String> response = Http.post(node.httpUrl("/publish?topic=acked"), "text/plain",
                            utf8(payload));
                        assertEquals(200, response.statusCode(), response.body());
                        final long id = Long.parseLong(response.body().replaceAll("[^0-9]", ""));
                        acknowledged.put(id, payload);
                    }
                    else
                    {
                        acknowledged.put(publisher.publish("acked", 0, utf8(payload)), payload);
                    }
                }
            }
        });
    }

    private interface Body
    {
        void run() throws Exception;
    }

    /** A background thread whose failure fails the test (checked after the barrage and after the test). */
    private Thread helper(final String name, final Body body)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable ex)
            {
                helperFailures.add(name + ": " + ex);
            }
        }, name);
        helpers.add(thread);
        thread.start();
        return thread;
    }

    private Socket ingestSocket() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", node.ingestPort()), 10_000);
        socket.setSoTimeout((int)Await.TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    private Socket httpSocket() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 10_000);
        socket.setSoTimeout((int)Await.TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Send, optionally half-close, and read replies until the node closes the connection. */
    private List<Long> ingestExchange(final byte[] bytes, final boolean halfClose) throws IOException
    {
        try (Socket socket = ingestSocket())
        {
            try
            {
                socket.getOutputStream().write(bytes);
                if (halfClose)
                {
                    socket.shutdownOutput();
                }
            }
            catch (final IOException closedMeanwhile)
            {
                // the node may close first (bad length); replies are still read below
            }
            return readReplies(socket, Integer.MAX_VALUE);
        }
    }

    /** Read up to {@code max} replies, stopping at the node's close; fails if the node neither answers nor closes. */
    private static List<Long> readReplies(final Socket socket, final int max) throws IOException
    {
        final List<Long> replies = new ArrayList<>();
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        try
        {
            while (replies.size() < max)
            {
                final int status = in.readUnsignedByte();
                replies.add(((long)status << 56) | in.readLong());
            }
        }
        catch (final EOFException closed)
        {
            // the node closed the connection
        }
        catch (final SocketTimeoutException ex)
        {
            fail("the node neither answered nor closed within " + Await.TIMEOUT + "; replies so far " + replies);
        }
        return replies;
    }

    /** Send on a fresh connection, half-close, return everything the node sends before it closes. */
    private String httpExchange(final byte[] request) throws IOException
    {
        try (Socket socket = httpSocket())
        {
            try
            {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            }
            catch (final IOException closedMeanwhile)
            {
                // Undertow refuses an oversized head before it is all sent; its answer is read below
            }
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] buffer = new byte[8192];
        try
        {
            int n;
            while ((n = in.read(buffer)) >= 0)
            {
                out.write(buffer, 0, n);
            }
        }
        catch (final SocketTimeoutException ex)
        {
            fail("the node neither answered nor closed within " + Await.TIMEOUT + ": " + out);
        }
        catch (final IOException reset)
        {
            // a reset after the answer: what was read is the answer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The code of the next close frame, or -1 when the connection ends without one (reset included). */
    private static int readCloseCodeOrEnd(final RawWebSocket ws) throws IOException
    {
        try
        {
            while (true)
            {
                final RawWebSocket.Frame frame = ws.readFrame();
                if (frame.opcode() == 0x8)
                {
                    return frame.closeCode();
                }
            }
        }
        catch (final EOFException ended)
        {
            return -1;
        }
        catch (final SocketTimeoutException ex)
        {
            fail("the node neither closed nor answered within " + Await.TIMEOUT);
            return 0;
        }
        catch (final IOException reset)
        {
            return -1;
        }
    }

    static byte[] ingestFrame(final int flags, final String target, final byte[] payload)
    {
        final byte[] t = utf8(target);
        return ByteBuffer.allocate(4 + 3 + t.length + payload.length).putInt(3 + t.length + payload.length)
            .put((byte)flags).putShort((short)t.length).put(t).put(payload).array();
    }

    /** A masked frame header with any 64-bit length and no body. */
    private static byte[] header(final int b0, final int length7, final long length)
    {
        final ByteBuffer header = ByteBuffer.allocate(14).put((byte)b0).put((byte)(0x80 | length7)).putLong(length)
            .put(new byte[]{1, 2, 3, 4});
        return header.array();
    }

    private static byte[] randomBytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
