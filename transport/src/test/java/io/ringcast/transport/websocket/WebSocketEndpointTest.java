package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.metrics.Metrics;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.ServerConnection;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The endpoint on a real Undertow (one I/O thread, the node's server options) with clients on loopback sockets: what
 * happens to a connection after the upgrade, the shared read buffer, and idle send buffers.
 */
class WebSocketEndpointTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);
    private static final byte[] MASK = {(byte)0x37, (byte)0xFA, (byte)0x21, (byte)0x3D};

    private final Metrics metrics = new Metrics();
    private final List<ClientSession> opened = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<ClientSession> closed = new CopyOnWriteArrayList<>();
    private final List<WeakReference<ServerConnection>> httpConnections = new CopyOnWriteArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private Undertow undertow;
    private int port;

    @BeforeEach
    void start()
    {
        final long hourNs = TimeUnit.HOURS.toNanos(1);
        final WebSocketEndpoint endpoint = new WebSocketEndpoint(new ClientListener()
        {
            @Override
            public void onOpened(final Subscriber session)
            {
                opened.add((ClientSession)session);
            }

            @Override
            public boolean onRequest(final Subscriber session, final ClientRequest request)
            {
                requests.add(session.sessionId() + ":" + request.op() + ":" + request.topics());
                return true;
            }

            @Override
            public boolean onClosed(final Subscriber session)
            {
                closed.add((ClientSession)session);
                return true;
            }
        }, metrics, new SessionSettings(64 * 1024, 100, TimeUnit.SECONDS.toNanos(30), hourNs, hourNs));
        // The options the node's HttpServer sets that give a connection per-connection state (the parse timer).
        undertow = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setIoThreads(1)
            .setWorkerThreads(1)
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
            .setHandler(exchange ->
            {
                httpConnections.add(new WeakReference<>(exchange.getConnection()));
                endpoint.handleRequest(exchange);
            })
            .build();
        undertow.start();
        port = ((InetSocketAddress)undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() throws IOException
    {
        for (final Client client : clients)
        {
            client.socket.close();
        }
        undertow.stop();
    }

    @Test
    void shouldLetUndertowsConnectionStateBeCollectedWhileTheWebSocketIsOpen() throws Exception
    {
        final Client client = connect("topics=a", new byte[0]);
        awaitUntil("session opened", () -> opened.size() == 1);

        awaitUntil("Undertow's HTTP connection collected", () ->
        {
            System.gc();
            return httpConnections.get(0).get() == null;
        });

        client.send(text("{\"op\":\"subscribe\",\"topics\":[\"b\"]}"));
        awaitUntil("request read after the hand-over", () -> requests.size() == 2);
        client.socket.close();
        awaitUntil("close seen after the hand-over", () -> closed.size() == 1);
        assertEquals(1, metrics.connectionsClosed.get());
    }

    @Test
    void shouldDecodeFramesSentWithTheHandshakeAfterTheQueryRequests() throws Exception
    {
        connect("topics=a", concat(
            text("{\"op\":\"subscribe\",\"topics\":[\"b\"]}"),
            text("{\"op\":\"subscribe\",\"topics\":[\"c\"]}")));

        awaitUntil("three requests", () -> requests.size() == 3);
        assertEquals(List.of("1:SUBSCRIBE:[a]", "1:SUBSCRIBE:[b]", "1:SUBSCRIBE:[c]"), requests);
    }

    @Test
    void shouldKeepFramesCutAcrossReadsApartWhileClientsShareTheReadBuffer() throws Exception
    {
        final Client first = connect("", new byte[0]);
        final Client second = connect("", new byte[0]);
        final byte[] cut = text("{\"op\":\"subscribe\",\"topics\":[\"first\"]}");
        final byte[] fragment = frame(WebSocketFrames.OPCODE_TEXT, utf8("{\"op\":\"subscribe\","));
        final byte[] lastFragment = frame(0x80 | WebSocketFrames.OPCODE_CONTINUATION, utf8("\"topics\":[\"third\"]}"));

        first.send(java.util.Arrays.copyOf(cut, 9));
        second.send(text("{\"op\":\"subscribe\",\"topics\":[\"second\"]}"));
        awaitUntil("second's request", () -> requests.size() == 1);
        first.send(concat(java.util.Arrays.copyOfRange(cut, 9, cut.length), fragment));
        awaitUntil("first's request", () -> requests.size() == 2);
        second.send(text("{\"op\":\"subscribe\",\"topics\":[\"fourth\"]}"));
        awaitUntil("second's second request", () -> requests.size() == 3);
        first.send(lastFragment);
        awaitUntil("first's fragmented request", () -> requests.size() == 4);

        assertEquals(List.of("2:SUBSCRIBE:[second]", "1:SUBSCRIBE:[first]", "2:SUBSCRIBE:[fourth]",
            "1:SUBSCRIBE:[third]"), requests);
    }

    @Test
    void shouldGiveIdleSendBuffersBackAndKeepSendingInOrderAfterwards() throws Exception
    {
        final Client client = connect("", new byte[0]);
        awaitUntil("session opened", () -> opened.size() == 1);
        final ClientSession session = opened.get(0);

        // The test thread is the producer, as the fan-out thread is in the node.
        send(session, "one");
        send(session, "two");
        assertEquals("one", client.readText());
        assertEquals("two", client.readText());
        awaitUntil("written", () -> session.queuedBytes() == 0);

        // Housekeeping belongs to the session's I/O thread: run the two ticks there.
        final long nowNs = System.nanoTime();
        session.executeAfterMs(() ->
        {
            session.housekeeping(nowNs);
            session.housekeeping(nowNs + SessionSettings.RELEASE_AFTER_IDLE_NS);
        }, 0);
        awaitUntil("buffers released", () -> metrics.sendBuffersReleased.get() == 1);

        send(session, "three");
        assertEquals("three", client.readText());
    }

    @Test
    void shouldSendTheCodeAndReasonOfTheFirstCloseRequestTogether() throws Exception
    {
        final Client client = connect("", new byte[0]);
        awaitUntil("session opened", () -> opened.size() == 1);
        final ClientSession session = opened.get(0);

        send(session, "before");
        session.close(WebSocketFrames.CLOSE_SLOW_CLIENT, "slow");
        session.close(WebSocketFrames.CLOSE_GOING_AWAY, "later requests lose");

        assertTrue(session.isCloseRequested());
        assertEquals("before", client.readText());
        assertEquals(WebSocketFrames.CLOSE_SLOW_CLIENT + ":slow", client.readClose());
    }

    @Test
    void shouldSendACloseWithoutReasonAsTheCodeAlone() throws Exception
    {
        final Client client = connect("", new byte[0]);
        awaitUntil("session opened", () -> opened.size() == 1);

        opened.get(0).close(WebSocketFrames.CLOSE_GOING_AWAY, null);

        assertEquals(WebSocketFrames.CLOSE_GOING_AWAY + ":", client.readClose());
    }

    private static void send(final ClientSession session, final String text)
    {
        final byte[] body = utf8(text);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[WebSocketFrames.headerLength(body.length) + body.length]);
        WebSocketFrames.putHeader(frame, 0, WebSocketFrames.OPCODE_TEXT, body.length);
        frame.putBytes(WebSocketFrames.headerLength(body.length), body);
        assertTrue(session.offer(frame, 0, frame.capacity()));
        session.markDirty();
        session.flushMarked();
    }

    private Client connect(final String query, final byte[] sentWithHandshake) throws IOException
    {
        final Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        final Client client = new Client(socket);
        clients.add(client);
        final String request = "GET /ws" + (query.isEmpty() ? "" : "?" + query) + " HTTP/1.1\r\n" +
            "Host: 127.0.0.1:" + port + "\r\n" +
            "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n" +
            "Sec-WebSocket-Version: 13\r\n\r\n";
        client.send(concat(request.getBytes(StandardCharsets.US_ASCII), sentWithHandshake));
        final String head = client.readHttpHead();
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return client;
    }

    private static void awaitUntil(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static byte[] text(final String text)
    {
        return frame(0x80 | WebSocketFrames.OPCODE_TEXT, utf8(text));
    }

    /** A masked client frame with a payload under 126 bytes. */
    private static byte[] frame(final int b0, final byte[] payload)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0);
        out.write(0x80 | payload.length);
        out.writeBytes(MASK);
        for (int i = 0; i < payload.length; i++)
        {
            out.write(payload[i] ^ MASK[i & 3]);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final class Client
    {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Client(final Socket socket) throws IOException
        {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void send(final byte[] bytes) throws IOException
        {
            out.write(bytes);
            out.flush();
        }

        String readHttpHead() throws IOException
        {
            final ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (true)
            {
                head.write(in.readUnsignedByte());
                final byte[] bytes = head.toByteArray();
                final int n = bytes.length;
                if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
                {
                    return new String(bytes, StandardCharsets.US_ASCII);
                }
            }
        }

        /** The next server frame, which must be a close frame: "code:reason". */
        String readClose() throws IOException
        {
            final int b0 = in.readUnsignedByte();
            final int length = in.readUnsignedByte();
            assertEquals(0x80 | WebSocketFrames.OPCODE_CLOSE, b0);
            final byte[] body = new byte[length];
            in.readFully(body);
            final int code = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            return code + ":" + new String(body, 2, length - 2, StandardCharsets.UTF_8);
        }

        /** The next server frame, which must be an unfragmented text frame under 126 bytes. */
        String readText() throws IOException
        {
            final int b0 = in.readUnsignedByte();
            final int length = in.readUnsignedByte();
            assertEquals(0x80 | WebSocketFrames.OPCODE_TEXT, b0);
            final byte[] body = new byte[length];
            in.readFully(body);
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
