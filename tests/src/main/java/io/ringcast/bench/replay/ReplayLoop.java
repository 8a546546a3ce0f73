package io.ringcast.bench.replay;

import io.ringcast.bench.ws.BlockingWebSocketClient;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A background client that replays a topic from the start over and over: connect, subscribe with {@code from=0},
 * read as fast as it can up to {@code lastId}, disconnect, again, until {@link #stop()}. It loads the node's replay
 * path while the live clients are measured.
 * <p>
 * Threading: {@link #start()} and {@link #stop()} from the owner; the counters may be read from any thread.
 */
final class ReplayLoop implements Runnable
{
    private static final int PUBLISH_EVERY_MESSAGES = 4096;

    private final InetSocketAddress http;
    private final String topic;
    private final long lastId;
    private final int timeoutMs;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile BlockingWebSocketClient current;
    private volatile long messages;
    private volatile long passes;
    private volatile long failures;
    private volatile String lastFailure;

    /** @param lastId the last id of {@code topic} in the journal: a pass ends when it arrives. */
    ReplayLoop(final InetSocketAddress http, final String topic, final long lastId, final int timeoutMs)
    {
        this.http = http;
        this.topic = topic;
        this.lastId = lastId;
        this.timeoutMs = timeoutMs;
        this.thread = new Thread(this, "replay-bench-loop");
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** Stop and wait for the thread (its connection is closed under it). */
    void stop() throws InterruptedException
    {
        running = false;
        final BlockingWebSocketClient client = current;
        if (client != null)
        {
            client.abort();
        }
        thread.join(10_000);
    }

    /** Messages received so far, over all passes (updated every few thousand messages). */
    long messages()
    {
        return messages;
    }

    /** Passes that read the whole topic. */
    long passes()
    {
        return passes;
    }

    long failures()
    {
        return failures;
    }

    String lastFailure()
    {
        return lastFailure;
    }

    @Override
    public void run()
    {
        final byte[] request = ReplayProbe.subscribeRequest(topic, 0);
        while (running)
        {
            long received = 0;
            try (BlockingWebSocketClient client = BlockingWebSocketClient.connect(http, timeoutMs, ReplayProbe.READ_BUFFER_BYTES))
            {
                current = client;
                if (!running)
                {
                    break;
                }
                client.sendText(request);
                ReplayProbe.awaitSubscribed(client, 0);
                long expected = 1;
                while (running && expected <= lastId)
                {
                    final long id = ReplayProbe.nextMessageId(client);
                    if (id != expected)
                    {
                        throw new IOException("replay loop: got id " + id + " where " + expected + " was due");
                    }
                    expected++;
                    if (++received == PUBLISH_EVERY_MESSAGES)
                    {
                        messages += received;
                        received = 0;
                    }
                }
                if (expected > lastId)
                {
                    passes++;
                }
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    failures++;
                    lastFailure = ex.toString();
                }
            }
            finally
            {
                messages += received;
                current = null;
            }
        }
    }
}
