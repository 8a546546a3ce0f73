package io.ringcast.transport.buffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Off-heap allocations that may be refused: client send buffers and the replay frame cache live in the JVM's direct
 * memory, whose limit ({@code -XX:MaxDirectMemorySize}, see jvm.options) thousands of backed-up clients can reach.
 * A refused allocation returns null, and the caller degrades (a client that cannot get a bigger buffer is served
 * from the journal; one that cannot get a catch-up buffer is closed with 4001 and resumes by id) instead of an
 * {@link OutOfMemoryError} failing the fan-out.
 * <p>
 * The JDK refuses only after a full collection and up to ~0.5 s of retries, on the calling thread; so after a
 * refusal, requests at least as big as the smallest one refused are refused at once for {@link #BACK_OFF_MS} ms
 * (smaller ones are still tried: a client refused a bigger live buffer can still get a catch-up buffer). Thread-safe.
 */
public final class DirectMemory
{
    static final long BACK_OFF_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(DirectMemory.class);

    /** Until when {@link #refusedBytes} and bigger are refused; written after it. */
    private static volatile long refuseUntilNs;
    private static volatile long refusedBytes = Long.MAX_VALUE;
    private static volatile boolean refusedBefore;

    private DirectMemory()
    {
    }

    /** A direct buffer of {@code bytes}, or null when the direct memory limit refuses it. */
    public static ByteBuffer tryAllocate(final int bytes)
    {
        if (bytes >= refusedBytes && System.nanoTime() - refuseUntilNs < 0)
        {
            return null;
        }
        try
        {
            return ByteBuffer.allocateDirect(bytes);
        }
        catch (final OutOfMemoryError ex)
        {
            final long now = System.nanoTime();
            // Racy between threads, and only a hint: at worst a request is tried once more than needed.
            refusedBytes = now - refuseUntilNs < 0 ? Math.min(refusedBytes, bytes) : bytes;
            refuseUntilNs = now + TimeUnit.MILLISECONDS.toNanos(BACK_OFF_MS);
            if (!refusedBefore)
            {
                refusedBefore = true;
                LOG.warn("direct memory limit reached ({}): clients that need more send buffer are served from " +
                    "the journal or closed with 4001; raise -XX:MaxDirectMemorySize in jvm.options if this repeats",
                    ex.getMessage());
            }
            return null;
        }
    }
}
