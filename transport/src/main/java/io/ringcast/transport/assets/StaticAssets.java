package io.ringcast.transport.assets;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Files embedded in the jar at build time (the JavaScript client, the demo page), served from memory with a
 * strong {@code ETag} and {@code Cache-Control}; {@code If-None-Match} answers 304. Each {@link Asset} is loaded once
 * at start-up and is immutable, so any I/O thread may serve it.
 */
public final class StaticAssets
{
    /** Where the build puts the files in the jar. */
    static final String RESOURCE_ROOT = "/io/ringcast/transport/assets/";

    private StaticAssets()
    {
    }

    /** The client module: any origin may import it; revalidated after five minutes. */
    public static HttpHandler clientModule()
    {
        return new Asset("ringcast.js", "text/javascript; charset=utf-8", "public, max-age=300", true);
    }

    /** A page (the demo at {@code /}): revalidated on every load, so a node upgrade shows at once. */
    public static HttpHandler page(final String fileName)
    {
        return new Asset(fileName, "text/html; charset=utf-8", "no-cache", false);
    }

    static byte[] load(final String fileName)
    {
        try (InputStream in = StaticAssets.class.getResourceAsStream(RESOURCE_ROOT + fileName))
        {
            if (in == null)
            {
                throw new IllegalStateException("asset missing from the jar: " + RESOURCE_ROOT + fileName);
            }
            return in.readAllBytes();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static String etagOf(final byte[] body)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** True when an {@code If-None-Match} value names the ETag (a list, weak forms or {@code *}). */
    static boolean matches(final String ifNoneMatch, final String etag)
    {
        if (ifNoneMatch == null)
        {
            return false;
        }
        for (final String candidate : ifNoneMatch.split(","))
        {
            final String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || (tag.startsWith("W/") && tag.substring(2).equals(etag)))
            {
                return true;
            }
        }
        return false;
    }

    private static final class Asset implements HttpHandler
    {
        private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");

        private final byte[] body;
        private final String etag;
        private final String contentType;
        private final String cacheControl;
        private final boolean anyOrigin;

        Asset(final String fileName, final String contentType, final String cacheControl, final boolean anyOrigin)
        {
            this.body = load(fileName);
            this.etag = etagOf(body);
            this.contentType = contentType;
            this.cacheControl = cacheControl;
            this.anyOrigin = anyOrigin;
        }

        @Override
        public void handleRequest(final HttpServerExchange exchange)
        {
            final HttpString method = exchange.getRequestMethod();
            if (!Methods.GET.equals(method) && !Methods.HEAD.equals(method))
            {
                exchange.setStatusCode(405);
                exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseSender().send("{\"error\":\"method_not_allowed\",\"message\":\"use GET\"}");
                return;
            }
            exchange.getResponseHeaders()
                .put(Headers.ETAG, etag)
                .put(Headers.CACHE_CONTROL, cacheControl);
            if (anyOrigin)
            {
                exchange.getResponseHeaders().put(ALLOW_ORIGIN, "*");
            }
            if (matches(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH), etag))
            {
                exchange.setStatusCode(304);
                exchange.endExchange();
                return;
            }
            exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, contentType)
                .put(Headers.CONTENT_LENGTH, body.length);
            if (Methods.HEAD.equals(method))
            {
                exchange.endExchange();
                return;
            }
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
    }
}
