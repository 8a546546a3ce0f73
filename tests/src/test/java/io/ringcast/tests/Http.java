package io.ringcast.tests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls for tests. */
final class Http
{
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http()
    {
    }

    static HttpResponse<String> get(final String url) throws Exception
    {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Await.TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(final String url, final String contentType, final byte[] body) throws Exception
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Await.TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null)
        {
            builder.header("Content-Type", contentType);
        }
        return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
