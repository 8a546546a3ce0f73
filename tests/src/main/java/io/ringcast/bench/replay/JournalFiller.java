package io.ringcast.bench.replay;

import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.client.IngestClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Fills a node's journal over the ingest port as fast as a window of unanswered frames allows: one connection,
 * frames written in batches, replies read in order on the same thread. Each text payload starts with its sequence
 * number ({@code <seq>:}) and is padded with {@code 'x'}. Every reply must be status 0 with the next dense id.
 * <p>
 * A watchdog closes the connection when no reply arrives for {@value #NO_PROGRESS_SECONDS} s, so a stuck node
 * fails the fill instead of hanging the benchmark.
 */
final class JournalFiller
{
    private static final long NO_PROGRESS_SECONDS = 30;

    /** The outcome of one fill: {@code count} messages with ids {@code firstId..lastId} in {@code elapsedNs}. */
    record Result(long count, long firstId, long lastId, long elapsedNs)
    {
        double messagesPerSecond()
        {
            return count * 1e9 / elapsedNs;
        }
    }

    private JournalFiller()
    {
    }

    /**
     * Publish {@code count} messages of {@code payloadBytes} to {@code topic} and wait for every reply.
     *
     * @param expectedFirstId the id the first message must get (the node's head + 1).
     * @throws IOException when the node refuses a message, skips an id, or stops answering.
     */
    static Result fill(
        final InetSocketAddress ingest,
        final String topic,
        final long count,
        final int payloadBytes,
        final int windowFrames,
        final long expectedFirstId) throws IOException
    {
        final byte[] target = topic.getBytes(StandardCharsets.US_ASCII);
        final byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte)'x');
        final int batchRefill = Math.max(1, windowFrames / 2);
        final Watchdog watchdog;
        final long startNs;
        long sent = 0;
        long acked = 0;
        long nextId = expectedFirstId;
        try (IngestClient client = IngestClient.connect(ingest.getHostString(), ingest.getPort()))
        {
            watchdog = new Watchdog(client);
            watchdog.start();
            startNs = System.nanoTime();
            try
            {
                while (acked < count)
                {
                    while (sent < count && sent - acked < windowFrames)
                    {
                        stampSequence(payload, expectedFirstId + sent);
                        client.sendRaw(0, target, payload, 0, payloadBytes);
                        sent++;
                    }
                    client.flush();
                    final long readUntil = sent == count ? sent : Math.min(sent, acked + batchRefill);
                    while (acked < readUntil)
                    {
                        final long reply = client.readReply();
                        final int status = IngestClient.status(reply);
                        if (status != PublishStatus.OK)
                        {
                            throw new IOException("message " + (acked + 1) + " refused: " + PublishStatus.code(status));
                        }
                        final long id = IngestClient.id(reply);
                        if (id != nextId)
                        {
                            throw new IOException("expected id " + nextId + ", the node gave " + id);
                        }
                        nextId++;
                        acked++;
                    }
                    watchdog.progress = acked;
                }
            }
            catch (final IOException ex)
            {
                if (watchdog.fired)
                {
                    throw new IOException("no ingest reply for " + NO_PROGRESS_SECONDS + " s after " + acked + " of " +
                        count + " messages", ex);
                }
                throw ex;
            }
            finally
            {
                watchdog.interrupt();
            }
        }
        return new Result(count, expectedFirstId, nextId - 1, System.nanoTime() - startNs);
    }

    /** Write {@code <seq>:} at the start of the payload (digits only, no allocation). */
    private static void stampSequence(final byte[] payload, final long sequence)
    {
        int digits = 1;
        for (long v = sequence; v >= 10; v /= 10)
        {
            digits++;
        }
        if (digits + 1 > payload.length)
        {
            return;
        }
        long v = sequence;
        for (int i = digits - 1; i >= 0; i--)
        {
            payload[i] = (byte)('0' + (v % 10));
            v /= 10;
        }
        payload[digits] = ':';
    }

    /** Closes the publisher's connection when {@link #progress} has not moved for a while. */
    private static final class Watchdog extends Thread
    {
        private final IngestClient client;
        volatile long progress;
        volatile boolean fired;

        Watchdog(final IngestClient client)
        {
            super("replay-bench-fill-watchdog");
            setDaemon(true);
            this.client = client;
        }

        @Override
        public void run()
        {
            long last = -1;
            long lastChangeNs = System.nanoTime();
            try
            {
                while (!isInterrupted())
                {
                    Thread.sleep(500);
                    final long now = progress;
                    if (now != last)
                    {
                        last = now;
                        lastChangeNs = System.nanoTime();
                    }
                    else if (System.nanoTime() - lastChangeNs > TimeUnit.SECONDS.toNanos(NO_PROGRESS_SECONDS))
                    {
                        fired = true;
                        client.close();
                        return;
                    }
                }
            }
            catch (final InterruptedException | IOException ignored)
            {
                // Interrupted: the fill ended. IOException: closing is best effort.
            }
        }
    }
}
