package io.ringcast.bench;

import io.ringcast.transport.ingest.IngestDescriptor;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The publish side of the load generator: one thread writing ingest frames to one connection, and one thread reading
 * the node's replies ({@code u8 status, u64 id}) from it.
 * <p>
 * Each payload is text: the send time ({@link System#nanoTime()}) and a sequence number as ASCII digits,
 * {@code <nanos>:<seq>:}, padded with {@code 'x'} to the payload size. At a fixed rate the send time is the planned
 * time of the schedule {@code start + seq / rate}, not the time the frame actually left, so a stalled node or
 * publisher shows up in the latency instead of being hidden (no coordinated omission). At rate 0 it sends as fast as
 * a window of unanswered frames allows and stamps the actual send time.
 * <p>
 * Threading: {@link #start} once; {@link #replies()} from any thread; the other accessors after {@link #close()}.
 */
final class IngestPublisher
{
    /**
     * Below this the publisher spins instead of parking. Small on purpose: the load generator shares the machine with
     * the node, and a publisher spinning between sends 50 us apart (20k msg/s) burned ~70 % of a core that the node
     * then lacked. Parking overshoots by ~50-80 us; frames that fall due meanwhile go out together in one write, and
     * latency is still counted from each frame's planned time, so the overshoot counts against the node, not for it.
     */
    private static final int SPIN_BELOW_NS = 10_000;
    private static final int FLAT_OUT_BATCH_FRAMES = 64;

    private final SocketChannel channel;
    private final ByteBuffer out;
    private final byte[] target;
    private final byte[] padding;
    private final int payloadBytes;
    private final int frameLength;
    private final long ratePerSecond;
    private final int windowFrames;
    private final AtomicLong replies = new AtomicLong();
    private final AtomicLong acceptedReplies = new AtomicLong();
    private final long[] statusCounts = new long[256];
    private final Histogram sendLagUs = new Histogram(1, TimeUnit.SECONDS.toMicros(60), 3);
    private Thread publisherThread;
    private Thread replyThread;

    private long startNs;
    private long endNs;
    private long measureFromNs;
    private long sent;
    private long measuredSent;
    private volatile long exitCpuNs = -1;
    private long firstId;
    private long lastId;
    private long idGaps;
    private Throwable publishError;
    private Throwable replyError;

    private IngestPublisher(final SocketChannel channel, final LoadOptions options)
    {
        this.channel = channel;
        this.target = options.topic().getBytes(StandardCharsets.US_ASCII);
        this.payloadBytes = options.payloadBytes();
        this.frameLength = IngestDescriptor.TARGET_OFFSET + target.length + payloadBytes;
        this.out = ByteBuffer.allocateDirect(Math.max(256 * 1024, 2 * (IngestDescriptor.LENGTH_FIELD_BYTES + frameLength)))
            .order(ByteOrder.BIG_ENDIAN);
        this.padding = new byte[payloadBytes];
        Arrays.fill(padding, (byte)'x');
        this.ratePerSecond = options.ratePerSecond();
        this.windowFrames = options.windowFrames();
    }

    /** Connect (blocking) to the node's ingest port. */
    static IngestPublisher connect(final InetSocketAddress address, final LoadOptions options) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(address, 10_000);
            return new IngestPublisher(channel, options);
        }
        catch (final IOException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Start publishing at {@code startNs} until {@code endNs}; stamps at or after {@code measureFromNs} count as
     * measured.
     */
    void start(final long startNs, final long measureFromNs, final long endNs)
    {
        this.startNs = startNs;
        this.measureFromNs = measureFromNs;
        this.endNs = endNs;
        replyThread = new Thread(this::readReplies, "bench-ingest-replies");
        replyThread.setDaemon(true);
        publisherThread = new Thread(this::publish, "bench-publisher");
        publisherThread.setDaemon(true);
        replyThread.start();
        publisherThread.start();
    }

    /** Wait for the publisher thread to finish its schedule, at most until {@code deadlineNs}. */
    boolean awaitPublisher(final long deadlineNs) throws InterruptedException
    {
        final long waitNs = deadlineNs - System.nanoTime();
        if (waitNs > 0)
        {
            publisherThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNs)));
        }
        return !publisherThread.isAlive();
    }

    /** Replies received so far (any status). */
    long replies()
    {
        return replies.get();
    }

    /** Replies with status 0 received so far. */
    long acceptedSoFar()
    {
        return acceptedReplies.get();
    }

    /** Frames written; valid once the publisher thread has ended. */
    long sent()
    {
        return sent;
    }

    /** Close the connection (ending both threads) and wait for them. */
    void close() throws InterruptedException
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
        if (publisherThread != null)
        {
            publisherThread.join(5_000);
            replyThread.join(5_000);
        }
    }

    private void publish()
    {
        try
        {
            if (ratePerSecond > 0)
            {
                publishAtFixedRate();
            }
            else
            {
                publishFlatOut();
            }
            flush();
        }
        catch (final Throwable ex)
        {
            publishError = ex;
        }
        finally
        {
            exitCpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }

    private void publishAtFixedRate() throws IOException
    {
        long seq = 0;
        while (true)
        {
            final long plannedNs = startNs + seq * 1_000_000_000L / ratePerSecond;
            if (plannedNs - endNs >= 0)
            {
                break;
            }
            long nowNs = System.nanoTime();
            if (plannedNs - nowNs > 0)
            {
                flush();
                nowNs = waitUntil(plannedNs);
            }
            if (plannedNs - measureFromNs >= 0)
            {
                sendLagUs.recordValue(Math.min((nowNs - plannedNs) / 1_000, sendLagUs.getHighestTrackableValue()));
            }
            putFrame(plannedNs, seq++);
        }
    }

    private void publishFlatOut() throws IOException
    {
        long seq = 0;
        int batched = 0;
        waitUntil(startNs);
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - endNs >= 0)
            {
                break;
            }
            if (sent - replies.get() >= windowFrames)
            {
                flush();
                batched = 0;
                LockSupport.parkNanos(10_000);
                continue;
            }
            putFrame(nowNs, seq++);
            if (++batched >= FLAT_OUT_BATCH_FRAMES)
            {
                flush();
                batched = 0;
            }
        }
    }

    /** Sleep (spinning only for the last few microseconds) until {@code deadlineNs}; returns the time. */
    private static long waitUntil(final long deadlineNs)
    {
        long nowNs = System.nanoTime();
        while (deadlineNs - nowNs > 0)
        {
            final long remainingNs = deadlineNs - nowNs;
            if (remainingNs > SPIN_BELOW_NS)
            {
                LockSupport.parkNanos(remainingNs);
            }
            else
            {
                Thread.onSpinWait();
            }
            nowNs = System.nanoTime();
        }
        return nowNs;
    }

    private void putFrame(final long stampNs, final long seq) throws IOException
    {
        final ByteBuffer buffer = out;
        if (buffer.remaining() < IngestDescriptor.LENGTH_FIELD_BYTES + frameLength)
        {
            flush();
        }
        buffer.putInt(frameLength).put((byte)0).putShort((short)target.length).put(target);
        int stampLength = AsciiCodec.putDecimal(buffer, stampNs);
        buffer.put((byte)':');
        stampLength += 1 + AsciiCodec.putDecimal(buffer, seq);
        buffer.put((byte)':');
        stampLength++;
        buffer.put(padding, 0, payloadBytes - stampLength);
        sent++;
        if (stampNs - measureFromNs >= 0)
        {
            measuredSent++;
        }
    }

    private void flush() throws IOException
    {
        final ByteBuffer buffer = out;
        if (buffer.position() == 0)
        {
            return;
        }
        buffer.flip();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void readReplies()
    {
        final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.BIG_ENDIAN);
        long count = 0;
        long accepted = 0;
        try
        {
            while (channel.read(in) >= 0)
            {
                in.flip();
                while (in.remaining() >= IngestDescriptor.REPLY_BYTES)
                {
                    final int status = in.get() & 0xFF;
                    final long id = in.getLong();
                    statusCounts[status]++;
                    if (status == 0)
                    {
                        if (firstId == 0)
                        {
                            firstId = id;
                        }
                        else if (id != lastId + 1)
                        {
                            idGaps++;
                        }
                        lastId = id;
                        accepted++;
                    }
                    count++;
                }
                acceptedReplies.set(accepted);
                replies.set(count);
                in.compact();
            }
        }
        catch (final IOException ex)
        {
            if (channel.isOpen())
            {
                replyError = ex;
            }
        }
        acceptedReplies.set(accepted);
        replies.set(count);
    }

    /** Replies per status code (0 ok; see the ingest protocol). */
    long[] statusCounts()
    {
        return statusCounts;
    }

    /** Accepted publishes (status 0): the ids every client should receive. */
    long accepted()
    {
        return statusCounts[0];
    }

    /** Frames stamped at or after the measurement start. */
    long measuredSent()
    {
        return measuredSent;
    }

    /**
     * At a fixed rate, how late each measured frame was encoded against its planned time: the load generator's own
     * share of the latency (it includes a send blocked by the node's back-pressure).
     */
    Histogram sendLagUs()
    {
        return sendLagUs;
    }

    /** The publisher thread's CPU time when it finished, -1 while it runs. */
    long exitCpuNs()
    {
        return exitCpuNs;
    }

    long firstId()
    {
        return firstId;
    }

    long lastId()
    {
        return lastId;
    }

    /** Accepted ids that did not follow the previous accepted id by exactly one (other publishers, or a node bug). */
    long idGaps()
    {
        return idGaps;
    }

    Throwable publishError()
    {
        return publishError;
    }

    Throwable replyError()
    {
        return replyError;
    }

    Thread publisherThread()
    {
        return publisherThread;
    }
}
