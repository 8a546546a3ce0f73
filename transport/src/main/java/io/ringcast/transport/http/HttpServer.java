package io.ringcast.transport.http;

import io.ringcast.transport.reply.HttpResponses;
import io.ringcast.transport.MessagePublisher;
import io.ringcast.transport.assets.StaticAssets;
import io.ringcast.transport.metrics.Metrics;
import io.ringcast.transport.websocket.WebSocketEndpoint;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.xnio.Options;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The HTTP port on Undertow: {@code /ws} (WebSocket), {@code /publish}, {@code /health}, {@code /metrics},
 * {@code /ringcast.js} and the demo page at {@code /}.
 */
public final class HttpServer implements AutoCloseable
{
    /** Kernel send buffer of each accepted connection. */
    static final int SEND_BUFFER_BYTES = 256 * 1024;

    private final Undertow undertow;
    private final PublishHttpHandler publishHandler;
    private final WebSocketEndpoint webSocketEndpoint;

    public HttpServer(
        final String bindAddress,
        final int port,
        final int ioThreads,
        final WebSocketEndpoint webSocketEndpoint,
        final MessagePublisher publisher,
        final Metrics metrics,
        final int maxPayloadBytes,
        final Supplier<String> healthJson,
        final Supplier<String> metricsText)
    {
        this.webSocketEndpoint = webSocketEndpoint;
        this.publishHandler = new PublishHttpHandler(publisher, maxPayloadBytes, metrics.backPressured);
        final PathHandler routes = new PathHandler()
            .addExactPath("/ws", webSocketEndpoint)
            .addExactPath("/ringcast.js", StaticAssets.clientModule())
            .addExactPath("/", StaticAssets.page("index.html"))
            .addExactPath("/publish", publishHandler)
            .addExactPath("/health", get(exchange -> HttpResponses.json(exchange, 200, healthJson.get())))
            .addExactPath("/metrics", get(exchange ->
            {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4");
                exchange.getResponseSender().send(metricsText.get());
            }));
        final HttpHandler root = exchange ->
        {
            routes.handleRequest(exchange);
            if (!exchange.isResponseStarted() && !exchange.isDispatched() && exchange.getStatusCode() == 404)
            {
                HttpResponses.error(exchange, 404, "not_found", "no such path: " + exchange.getRequestPath());
            }
        };
        this.undertow = Undertow.builder()
            .addHttpListener(port, bindAddress)
            .setIoThreads(ioThreads)
            .setWorkerThreads(2)
            .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
            // A client that does not finish its request (or WebSocket handshake) in time is dropped.
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
            .setSocketOption(Options.TCP_NODELAY, true)
            .setSocketOption(Options.BACKLOG, 4096)
            // A fixed kernel send buffer per connection: each client's queue is its own bounded off-heap buffer
            // (then journal catch-up), so the kernel need not hold more. Left to autotuning (up to tcp_wmem's 4 MiB
            // here), 1,000 clients that read slower than a flood pushed the machine's TCP memory past tcp_mem, and
            // every socket on it slowed down.
            .setSocketOption(Options.SEND_BUFFER, SEND_BUFFER_BYTES)
            .setHandler(root)
            .build();
    }

    public void start()
    {
        undertow.start();
    }

    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)undertow.getListenerInfo().get(0).getAddress();
    }

    /** New connections and publishes are refused from now on. */
    public void stopAccepting()
    {
        webSocketEndpoint.stopAccepting();
        publishHandler.stopAccepting();
    }

    @Override
    public void close()
    {
        undertow.stop();
    }

    private static HttpHandler get(final HttpHandler handler)
    {
        return exchange ->
        {
            if (!Methods.GET.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(exchange.getRequestMethod()))
            {
                HttpResponses.error(exchange, 405, "method_not_allowed", "use GET");
                return;
            }
            handler.handleRequest(exchange);
        };
    }
}
