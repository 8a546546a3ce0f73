package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.reply.HttpResponses;
import io.ringcast.transport.metrics.Metrics;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /ws}: checks the query and the connection limit, answers the RFC 6455 opening handshake (101 with
 * {@code Sec-WebSocket-Accept}) through Undertow's HTTP upgrade, then takes over the upgraded connection as a
 * {@link ClientSession} (no Undertow {@code WebSocketChannel} is created). Undertow's own handshake handler is not
 * used: it made ~1.5 KB of garbage per connection (a digest looked up by reflection, a wrapper exchange, a
 * {@code Sec-WebSocket-Location} string), which a burst of thousands of connections turns into heap growth.
 * <p>
 * Query: {@code topics=a,b}, {@code from=ID}, {@code epoch=E}, {@code group=NAME}, {@code ack=1}. A bad query is
 * refused before the upgrade with {@code 400 {"error":"bad_request",...}}; over the limit with {@code 503}.
 */
public final class WebSocketEndpoint implements HttpHandler
{
    private static final AttachmentKey<List<ClientRequest>> INITIAL_REQUESTS = AttachmentKey.create(List.class);
    private static final AttachmentKey<Boolean> ACK_MODE = AttachmentKey.create(Boolean.class);

    private final ClientListener listener;
    private final Metrics metrics;
    private final SessionSettings settings;
    private final int maxConnections;
    private final ClientCloseLog closeLog = new ClientCloseLog();
    private final HttpUpgradeListener upgradeListener = this::onUpgraded;
    private final Map<XnioIoThread, IoThreadContext> contexts = new ConcurrentHashMap<>();
    private final AtomicLong nextSessionId = new AtomicLong();
    private volatile boolean accepting = true;

    public WebSocketEndpoint(final ClientListener listener, final Metrics metrics, final SessionSettings settings)
    {
        this.listener = listener;
        this.metrics = metrics;
        this.settings = settings;
        this.maxConnections = settings.maxConnections();
    }

    /** Refuse new connections from now on (shutdown). */
    public void stopAccepting()
    {
        accepting = false;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        if (!accepting)
        {
            HttpResponses.error(exchange, 503, "unavailable", "the node is shutting down");
            return;
        }
        if (metrics.openConnections() >= maxConnections)
        {
            metrics.connectionsRefused.increment();
            HttpResponses.error(exchange, 503, "too_many_connections",
                "the node has reached --max-connections=" + maxConnections);
            return;
        }
        final HeaderMap headers = exchange.getRequestHeaders();
        final UpgradeRefusal refusal = UpgradeRefusal.check(
            exchange.getRequestMethod().toString(),
            headers.getFirst(Headers.UPGRADE),
            headers.getFirst(Headers.SEC_WEB_SOCKET_KEY),
            headers.getFirst(Headers.SEC_WEB_SOCKET_VERSION));
        if (refusal != null)
        {
            metrics.badRequests.increment();
            if (refusal.status() == UpgradeRefusal.UPGRADE_REQUIRED)
            {
                exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, "13");
            }
            HttpResponses.error(exchange, refusal.status(), "bad_request", refusal.message());
            return;
        }
        final List<ClientRequest> initial;
        try
        {
            initial = initialRequests(exchange.getQueryParameters());
        }
        catch (final IllegalArgumentException ex)
        {
            metrics.badRequests.increment();
            HttpResponses.error(exchange, 400, "bad_request", ex.getMessage());
            return;
        }
        exchange.putAttachment(INITIAL_REQUESTS, initial);
        exchange.putAttachment(ACK_MODE, "1".equals(first(exchange.getQueryParameters(), "ack")));
        final String key = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_KEY);
        final String accept = HandshakeAccept.of(key.trim());
        exchange.upgradeChannel(upgradeListener);  // 101 Switching Protocols, Connection: Upgrade
        final HeaderMap response = exchange.getResponseHeaders();
        response.put(Headers.UPGRADE, "websocket");
        response.put(Headers.SEC_WEB_SOCKET_ACCEPT, accept);
        exchange.endExchange();
    }

    /** I/O thread, once the 101 response is written. */
    private void onUpgraded(final StreamConnection connection, final HttpServerExchange exchange)
    {
        final XnioIoThread ioThread = connection.getIoThread();
        final IoThreadContext context = contexts.computeIfAbsent(
            ioThread, thread -> new IoThreadContext(thread, maxConnections, closeLog, metrics));
        final ServerConnection http = exchange.getConnection();
        final AbstractServerConnection undertow = http instanceof AbstractServerConnection ?
            (AbstractServerConnection)http : null;
        final byte[] readAhead = undertow != null ? UpgradeHandover.takeReadAhead(connection, undertow) : null;
        final ClientSession session = new ClientSession(
            nextSessionId.incrementAndGet(),
            connection,
            context,
            readAhead,
            listener,
            metrics,
            settings,
            Boolean.TRUE.equals(exchange.getAttachment(ACK_MODE)));
        if (undertow != null)
        {
            UpgradeHandover.takeCloseListener(connection, undertow, session.closeListener());
        }
        else
        {
            connection.setCloseListener(session.closeListener());
        }
        metrics.connectionsOpened.increment();
        listener.onOpened(session);
        session.start();
        final List<ClientRequest> initial = exchange.getAttachment(INITIAL_REQUESTS);
        if (initial != null)
        {
            for (int i = 0; i < initial.size(); i++)
            {
                session.submitRequest(initial.get(i));
            }
            session.afterRequests();
        }
    }

    static List<ClientRequest> initialRequests(final Map<String, Deque<String>> query)
    {
        final List<ClientRequest> requests = new ArrayList<>(2);
        final String topics = first(query, "topics");
        final String group = first(query, "group");
        final String from = first(query, "from");
        final String epoch = first(query, "epoch");
        final String ack = first(query, "ack");
        final long fromId = from == null ? ClientRequest.NO_FROM : ClientRequestParser.parseId(from, "from");
        if (ack != null && !"1".equals(ack) && !"0".equals(ack))
        {
            throw new IllegalArgumentException("\"ack\" must be 1 or 0");
        }
        if (topics != null)
        {
            requests.add(ClientRequest.subscribe(ClientRequestParser.topicList(topics), fromId, epoch));
        }
        if (group != null)
        {
            requests.add(ClientRequest.join(ClientRequestParser.validName(group, "group"), fromId, epoch));
        }
        if (topics == null && group == null && (from != null || epoch != null))
        {
            throw new IllegalArgumentException("\"from\" and \"epoch\" need \"topics\" or \"group\"");
        }
        return requests;
    }

    private static String first(final Map<String, Deque<String>> query, final String name)
    {
        final Deque<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
