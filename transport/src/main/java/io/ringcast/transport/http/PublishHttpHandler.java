package io.ringcast.transport.http;

import io.ringcast.transport.reply.HttpResponses;
import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.MessagePublisher;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.PublishStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /publish?topic=T} (or {@code ?group=G}): the body is the payload. Answers {@code 200 {"id":N}} once
 * the message is journaled. A body typed {@code application/json} or {@code *}{@code /*+json} must be valid JSON
 * and is embedded as is; any other body is UTF-8 text and is embedded as a JSON string. This is the convenience
 * path (it allocates per request); high-rate publishers use the ingest port.
 */
public final class PublishHttpHandler implements HttpHandler
{
    private final MessagePublisher publisher;
    private final int maxPayloadBytes;
    private final AtomicCounter backPressured;
    private volatile boolean accepting = true;

    /** @param backPressured counts the times the pipeline was full and the publish was retried later. */
    public PublishHttpHandler(
        final MessagePublisher publisher, final int maxPayloadBytes, final AtomicCounter backPressured)
    {
        this.backPressured = backPressured;
        this.publisher = publisher;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public void stopAccepting()
    {
        accepting = false;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        if (!Methods.POST.equals(exchange.getRequestMethod()))
        {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            HttpResponses.error(exchange, 405, "method_not_allowed", "use POST /publish?topic=T or ?group=G");
            return;
        }
        if (!accepting)
        {
            HttpResponses.error(exchange, 503, "unavailable", "the node is shutting down");
            return;
        }

        final String topic = single(exchange.getQueryParameters().get("topic"));
        final String group = single(exchange.getQueryParameters().get("group"));
        if ((topic == null) == (group == null))
        {
            HttpResponses.error(exchange, 400, "bad_target", "give exactly one of ?topic= or ?group=");
            return;
        }
        final String target = topic != null ? topic : group;
        final byte[] targetBytes = target.getBytes(StandardCharsets.UTF_8);
        final byte flags = (byte)((isJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE)) ?
            InboundMessage.FLAG_JSON : 0) | (group != null ? InboundMessage.FLAG_GROUP : 0));
        if (!io.ringcast.transport.codec.TargetName.isValid(new UnsafeBuffer(targetBytes), 0, targetBytes.length))
        {
            refuse(exchange, PublishStatus.BAD_TARGET);
            return;
        }
        if (exchange.getRequestContentLength() > maxPayloadBytes)
        {
            refuse(exchange, PublishStatus.PAYLOAD_TOO_LARGE);
            return;
        }
        exchange.setMaxEntitySize(maxPayloadBytes);
        exchange.getRequestReceiver().receiveFullBytes(
            (ex, body) -> ex.dispatch(SameThreadExecutor.INSTANCE, () -> publish(ex, flags, targetBytes, body)),
            (ex, error) ->
            {
                if (error instanceof RequestTooBigException)
                {
                    refuse(ex, PublishStatus.PAYLOAD_TOO_LARGE);
                }
                else
                {
                    HttpResponses.error(ex, 400, "bad_request", "could not read the body: " + error.getMessage());
                }
            });
    }

    private void publish(final HttpServerExchange exchange, final byte flags, final byte[] target, final byte[] body)
    {
        final byte[] frame = new byte[target.length + body.length];
        System.arraycopy(target, 0, frame, 0, target.length);
        System.arraycopy(body, 0, frame, target.length, body.length);
        final InboundMessage message = new InboundMessage().wrap(
            flags, new UnsafeBuffer(frame), 0, target.length, target.length, body.length, maxPayloadBytes,
            new HttpReplier(exchange));
        if (message.status() != PublishStatus.OK)
        {
            refuse(exchange, message.status());
            return;
        }
        new PublishRetry(publisher, message, (task, delayNs) -> executeAfterNs(exchange, task, delayNs),
            () -> HttpResponses.error(exchange, 503, "unavailable", "the node is shutting down"),
            backPressured::increment).publishOrRetryLater();
    }

    private static boolean executeAfterNs(final HttpServerExchange exchange, final Runnable task, final long delayNs)
    {
        try
        {
            exchange.getIoThread().executeAfter(task, delayNs, TimeUnit.NANOSECONDS);
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            return false;
        }
    }

    static void refuse(final HttpServerExchange exchange, final int status)
    {
        switch (status)
        {
            case PublishStatus.BAD_TARGET:
                HttpResponses.error(exchange, 400, "bad_target",
                    "topic or group name must be 1 to 255 characters of [A-Za-z0-9._:/-]");
                break;
            case PublishStatus.PAYLOAD_TOO_LARGE:
                HttpResponses.error(exchange, 413, "payload_too_large", "the body is larger than --max-payload");
                break;
            case PublishStatus.BAD_PAYLOAD:
                HttpResponses.error(exchange, 400, "bad_payload",
                    "the body is not valid UTF-8, or not valid JSON for a JSON content type");
                break;
            default:
                HttpResponses.error(exchange, 503, "unavailable", "the journal cannot take messages right now");
        }
    }

    static boolean isJson(final String contentType)
    {
        if (contentType == null)
        {
            return false;
        }
        final int semicolon = contentType.indexOf(';');
        final String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.endsWith("+json") && mediaType.indexOf('/') > 0);
    }

    private static String single(final Deque<String> values)
    {
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** Answers one HTTP publish from the journal thread, on the exchange's I/O thread. */
    private static final class HttpReplier implements PublishReplier
    {
        private final HttpServerExchange exchange;
        private int status;
        private long id;

        HttpReplier(final HttpServerExchange exchange)
        {
            this.exchange = exchange;
        }

        @Override
        public boolean reply(final int status, final long id)
        {
            this.status = status;
            this.id = id;
            return true;
        }

        @Override
        public void commit()
        {
            final int status = this.status;
            final long id = this.id;
            exchange.getIoThread().execute(() ->
            {
                if (status == PublishStatus.OK)
                {
                    HttpResponses.json(exchange, 200, "{\"id\":" + id + "}");
                }
                else
                {
                    refuse(exchange, status);
                }
            });
        }
    }
}
