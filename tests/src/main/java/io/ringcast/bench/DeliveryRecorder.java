package io.ringcast.bench;

import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@link ReceiverAgent} learns from the deliveries it parses: order per client (in order, duplicate, out of
 * order), and the latency of each delivery stamped inside the measured window, into its own {@link Histogram}.
 * <p>
 * Threading: {@link #onDelivery} and the counters belong to the agent's thread; {@link #measureWindow} may be called
 * from any thread, {@link #deliveries()} read from any thread; the other accessors only after the agent's thread
 * has ended.
 */
final class DeliveryRecorder
{
    private static final byte[] DATA_FIELD = "\"data\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Histogram histogram;
    private final AtomicLong publishedDeliveries = new AtomicLong();
    private volatile long measureFromNs = Long.MAX_VALUE;
    private volatile long measureUntilNs = Long.MAX_VALUE;
    private long deliveries;
    private long measuredDeliveries;
    private long receivedInWindow;

    /** @param highestLatencyUs the histogram's highest trackable value; larger latencies are clamped to it. */
    DeliveryRecorder(final long highestLatencyUs)
    {
        histogram = new Histogram(1, highestLatencyUs, 3);
    }

    /**
     * Record latencies only for stamps at or after {@code startNs}, and count deliveries received in
     * {@code [startNs, endNs)} ({@link System#nanoTime()} clock).
     */
    void measureWindow(final long startNs, final long endNs)
    {
        measureUntilNs = endNs;
        measureFromNs = startNs;
    }

    /**
     * A delivery with {@code id} to {@code client}, received at {@code nowNs}; its payload follows the id in
     * {@code bytes[afterId, limit)} and starts with the publisher's stamp ({@code "<nanos>:..."}).
     */
    void onDelivery(
        final BenchClient client, final long id, final byte[] bytes, final int afterId, final int limit,
        final long nowNs)
    {
        if (id > client.lastId)
        {
            client.lastId = id;
            client.inOrder++;
            deliveries++;
        }
        else
        {
            if (id == client.lastId)
            {
                client.duplicates++;
            }
            else
            {
                client.outOfOrder++;
            }
            return;
        }
        final long fromNs = measureFromNs;
        if (client.stalled || fromNs == Long.MAX_VALUE)
        {
            return;
        }
        if (nowNs - fromNs >= 0 && nowNs - measureUntilNs < 0)
        {
            receivedInWindow++;
        }
        final int dataAt = AsciiCodec.indexOf(bytes, afterId, limit, DATA_FIELD);
        if (dataAt < 0)
        {
            return;
        }
        final long stampNs = AsciiCodec.parseLong(bytes, dataAt + DATA_FIELD.length, limit);
        if (stampNs != AsciiCodec.NO_NUMBER && stampNs - fromNs >= 0)
        {
            measuredDeliveries++;
            final long latencyUs = Math.max(0, (nowNs - stampNs) / 1_000);
            histogram.recordValue(Math.min(latencyUs, histogram.getHighestTrackableValue()));
        }
    }

    /** Make the in-order count visible to other threads (the agent's thread, once per wake-up and at the end). */
    void publish()
    {
        publishedDeliveries.lazySet(deliveries);
    }

    /** In-order deliveries so far over all clients of this agent, as last published by its thread. */
    long deliveries()
    {
        return publishedDeliveries.get();
    }

    /** Latencies in microseconds of deliveries stamped after the warm-up. */
    Histogram histogram()
    {
        return histogram;
    }

    /** Deliveries whose stamp is at or after the measurement start. */
    long measuredDeliveries()
    {
        return measuredDeliveries;
    }

    /** In-order first deliveries received inside the measured window, whenever they were published. */
    long receivedInWindow()
    {
        return receivedInWindow;
    }
}
