package io.ringcast.tests;

import io.ringcast.transport.codec.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HttpPublishTest
{
    private static final int MAX_PAYLOAD = 2048;

    @TempDir
    Path dir;
    TestNode node;

    @BeforeEach
    void start()
    {
        node = TestNode.start(dir.resolve("journal"), "--max-payload", "2KiB");
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    private HttpResponse<String> post(final String query, final String contentType, final String body) throws Exception
    {
        return Http.post(node.httpUrl("/publish" + query), contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(final HttpResponse<String> response)
    {
        return (Map<String, Object>)JsonParser.parse(response.body());
    }

    @Test
    void shouldPublishTextAndJsonBodiesAndAnswerWithTheId() throws Exception
    {
        try (WsClient topic = WsClient.connect(node.wsUrl("topics=news"));
             WsClient group = WsClient.connect(node.wsUrl("group=ops")))
        {
            topic.next();
            group.next();
            final HttpResponse<String> text = post("?topic=news", "text/plain; charset=utf-8", "héllo \"world\"");
            assertEquals(200, text.statusCode());
            assertEquals(Map.of("id", BigDecimal.ONE), json(text));
            final HttpResponse<String> js = post("?topic=news", "application/json", "{\"price\":1.25,\"tags\":[\"a\"]}");
            assertEquals(200, js.statusCode());
            assertEquals(BigDecimal.valueOf(2), json(js).get("id"));
            final HttpResponse<String> vendor = post("?topic=news", "application/vnd.acme+json; charset=utf-8", "42");
            assertEquals(200, vendor.statusCode());
            final HttpResponse<String> untyped = post("?topic=news", null, "{\"not\":\"parsed\"}");
            assertEquals(200, untyped.statusCode());
            final HttpResponse<String> toGroup = post("?group=ops", "application/json", "true");
            assertEquals(200, toGroup.statusCode());

            assertEquals("héllo \"world\"", topic.next().get("data"));
            final Map<String, Object> second = topic.next();
            assertEquals(Map.of("price", new BigDecimal("1.25"), "tags", List.of("a")), second.get("data"));
            assertEquals(new BigDecimal(42), topic.next().get("data"));
            assertEquals("{\"not\":\"parsed\"}", topic.next().get("data"), "a body without a JSON type is text");
            final Map<String, Object> g = group.next();
            assertEquals(Boolean.TRUE, g.get("data"));
            assertEquals("ops", g.get("group"));
        }
    }

    @Test
    void shouldRefuseBadRequestsWithTheContractsCodes() throws Exception
    {
        assertError(post("", "text/plain", "x"), 400, "bad_target");
        assertError(post("?topic=", "text/plain", "x"), 400, "bad_target");
        assertError(post("?topic=a&group=b", "text/plain", "x"), 400, "bad_target");
        assertError(post("?topic=bad%20name", "text/plain", "x"), 400, "bad_target");
        assertError(post("?topic=" + "t".repeat(256), "text/plain", "x"), 400, "bad_target");
        assertError(post("?topic=a", "application/json", "{\"a\":"), 400, "bad_payload");
        assertError(post("?topic=a", "application/json", ""), 400, "bad_payload");
        assertError(Http.post(node.httpUrl("/publish?topic=a"), "text/plain", new byte[]{(byte)0xFF, 'a'}),
            400, "bad_payload");
        assertError(post("?topic=a", "text/plain", "x".repeat(MAX_PAYLOAD + 1)), 413, "payload_too_large");
        assertError(post("?topic=bad!", "text/plain", "x".repeat(MAX_PAYLOAD + 1)), 400, "bad_target");
        assertEquals(200, post("?topic=a", "text/plain", "x".repeat(MAX_PAYLOAD)).statusCode());
        assertError(Http.get(node.httpUrl("/publish?topic=a")), 405, "method_not_allowed");
        assertError(Http.get(node.httpUrl("/nope")), 404, "not_found");
        // Refusals used no id: the next accepted publish is id 2.
        assertEquals(BigDecimal.valueOf(2), json(post("?topic=a", "text/plain", "y")).get("id"));
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String code)
    {
        assertEquals(status, response.statusCode(), response.body());
        final Map<String, Object> body = json(response);
        assertEquals(code, body.get("error"), response.body());
        assertTrue(body.get("message") instanceof String && !((String)body.get("message")).isEmpty());
    }

    @Test
    void shouldServeHealthAndMetrics() throws Exception
    {
        post("?topic=a", "text/plain", "x");
        final HttpResponse<String> health = Http.get(node.httpUrl("/health"));
        assertEquals(200, health.statusCode());
        final Map<String, Object> h = json(health);
        assertEquals("ok", h.get("status"));
        assertEquals(BigDecimal.ONE, h.get("head"));
        assertEquals(node.node.epoch(), h.get("epoch"));

        final HttpResponse<String> metrics = Http.get(node.httpUrl("/metrics"));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(1, WebSocketDeliveryTest.metricValue(metrics.body(), "ringcast_messages_journaled_total"));
        assertTrue(metrics.body().contains("# TYPE ringcast_messages_journaled_total counter"));
    }
}
