package io.ringcast.tests;

import io.ringcast.bench.ws.BlockingWebSocketClient;
import io.ringcast.bench.ws.WebSocketCodec;
import io.ringcast.transport.codec.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A well-behaved WebSocket client on the shared {@link BlockingWebSocketClient}: a reader thread answers pings and
 * the close handshake and collects every text message as parsed JSON, which the test takes with {@link #next()}.
 * Sends are serialised on the client (the test thread and the reader's pongs share its output).
 */
final class WsClient implements AutoCloseable
{
    private static final int MAX_FRAME_BYTES = 4 << 20;

    private final BlockingWebSocketClient client;
    private final LinkedBlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    private WsClient(final URI uri)
    {
        try
        {
            client = BlockingWebSocketClient.connect(new InetSocketAddress(uri.getHost(), uri.getPort()),
                uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), 0, MAX_FRAME_BYTES, 0);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("connect " + uri, ex);
        }
        final Thread reader = new Thread(this::read, "ws-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static WsClient connect(final String url)
    {
        return new WsClient(URI.create(url));
    }

    void send(final String json)
    {
        send(WebSocketCodec.OPCODE_TEXT, json.getBytes(StandardCharsets.UTF_8));
    }

    void sendBinary(final byte[] bytes)
    {
        send(WebSocketCodec.OPCODE_BINARY, bytes);
    }

    /** The next message, or fail after the timeout. */
    Map<String, Object> next()
    {
        try
        {
            final Map<String, Object> message = messages.poll(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null)
            {
                throw new AssertionError("no message within " + Await.TIMEOUT + (closeCode.isDone() ?
                    " (closed with " + closeCode.getNow(-1) + ")" : ""));
            }
            return message;
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /** Messages already received and not taken, without waiting. */
    List<Map<String, Object>> drain()
    {
        final List<Map<String, Object>> list = new ArrayList<>();
        messages.drainTo(list);
        return list;
    }

    /** The code the node closed with (1006 when the connection ended without a close frame). */
    int awaitClose()
    {
        return closeCode.orTimeout(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close()
    {
        client.abort();
    }

    static long id(final Map<String, Object> message)
    {
        return ((Number)message.get("id")).longValue();
    }

    private void send(final int opcode, final byte[] payload)
    {
        synchronized (client)
        {
            try
            {
                client.sendFrame(opcode, payload, 0, payload.length);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** The reader thread: the only one that reads the socket. */
    @SuppressWarnings("unchecked")
    private void read()
    {
        try
        {
            while (true)
            {
                final int opcode = client.readAnyFrame();
                switch (opcode)
                {
                    case WebSocketCodec.OPCODE_TEXT -> messages.add((Map<String, Object>)JsonParser.parse(client.payloadText()));
                    case WebSocketCodec.OPCODE_PING -> send(WebSocketCodec.OPCODE_PONG, client.payloadCopy());
                    case WebSocketCodec.OPCODE_CLOSE ->
                    {
                        final int code = client.closeCode();
                        final int echo = code == WebSocketCodec.CLOSE_NO_STATUS ? WebSocketCodec.CLOSE_NORMAL : code;
                        closeCode.complete(code);
                        try
                        {
                            send(WebSocketCodec.OPCODE_CLOSE, new byte[]{(byte)(echo >> 8), (byte)echo});
                        }
                        catch (final UncheckedIOException gone)
                        {
                            // the node may have closed the connection already; the close code is what counts
                        }
                        client.abort();
                        return;
                    }
                    default ->
                    {
                        // binary and pong frames carry nothing a test reads
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            closeCode.complete(WebSocketCodec.CLOSE_ABNORMAL);
            client.abort();
        }
    }
}
