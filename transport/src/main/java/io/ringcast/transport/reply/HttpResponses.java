package io.ringcast.transport.reply;

import io.ringcast.transport.codec.JsonText;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * JSON answers for the HTTP side, in a package of their own: the HTTP handlers and the WebSocket handshake both use
 * them, and neither of those packages depends on the other for them.
 */
public final class HttpResponses
{
    private HttpResponses()
    {
    }

    public static void json(final HttpServerExchange exchange, final int status, final String json)
    {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json);
    }

    /** {@code {"error":CODE,"message":TEXT}} with the given status. */
    public static void error(final HttpServerExchange exchange, final int status, final String code, final String message)
    {
        json(exchange, status, "{\"error\":" + JsonText.quote(code) + ",\"message\":" + JsonText.quote(message) + "}");
    }
}
