package io.ringcast.tests;

import io.ringcast.transport.codec.JsonParser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (java.net.http) that collects every text message as parsed JSON. */
final class WsClient implements AutoCloseable
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final WebSocket webSocket;
    private final LinkedBlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    private WsClient(final URI uri)
    {
        webSocket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
            .buildAsync(uri, new Listener()).join();
    }

    static WsClient connect(final String url)
    {
        return new WsClient(URI.create(url));
    }

    void send(final String json)
    {
        webSocket.sendText(json, true).join();
    }

    /** The next message, or fail after the timeout. */
    @SuppressWarnings("unchecked")
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

    int awaitClose()
    {
        return closeCode.orTimeout(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close()
    {
        webSocket.abort();
    }

    static long id(final Map<String, Object> message)
    {
        return ((Number)message.get("id")).longValue();
    }

    private final class Listener implements WebSocket.Listener
    {
        private final StringBuilder partial = new StringBuilder();

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                messages.add((Map<String, Object>)JsonParser.parse(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(final WebSocket ws, final ByteBuffer data, final boolean last)
        {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket ws, final int statusCode, final String reason)
        {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(final WebSocket ws, final Throwable error)
        {
            closeCode.complete(1006);
        }
    }
}
