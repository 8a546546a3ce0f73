package io.ringcast.bench.jmh;

import io.ringcast.transport.websocket.FrameEncoder;
import io.ringcast.transport.buffer.OutboundBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;

/**
 * Fan-out encode + copy: one {@link FrameEncoder#encodeMessage} of a 100-byte text message, then
 * {@link OutboundBuffer#offer} of that frame into each of 1,000 client buffers, which are then drained into a
 * {@link NullGatheringChannel} so they never fill (the consumer side is a position update, not a socket write).
 * <p>
 * {@code encode} alone is per message; {@code fanOut} is per message to all clients (divide by {@code clients} for
 * the per-client copy). Allocation per operation must be ~0 B: both run on the node's fan-out thread per message.
 */
@State(Scope.Benchmark)
public class FanoutBenchmark
{
    @Param("1000")
    public int clients;

    private final FrameEncoder encoder = new FrameEncoder();
    private final NullGatheringChannel sink = new NullGatheringChannel();
    private OutboundBuffer[] buffers;
    private byte[] payload;
    private long id;

    @Setup
    public void setUp()
    {
        buffers = new OutboundBuffer[clients];
        for (int i = 0; i < clients; i++)
        {
            buffers[i] = new OutboundBuffer(16 * 1024);
        }
        payload = BenchFrames.textPayload(100);
    }

    @Benchmark
    public int encode()
    {
        return encoder.encodeMessage(++id, false, BenchFrames.TOPIC, BenchFrames.TOPIC.length, false, payload,
            payload.length, false);
    }

    @Benchmark
    public long fanOut() throws IOException
    {
        final int length = encoder.encodeMessage(++id, false, BenchFrames.TOPIC, BenchFrames.TOPIC.length, false,
            payload, payload.length, false);
        final UnsafeBuffer frame = encoder.buffer();
        final int offset = encoder.frameOffset();
        final OutboundBuffer[] buffers = this.buffers;
        long written = 0;
        for (int i = 0; i < buffers.length; i++)
        {
            if (!buffers[i].offer(frame, offset, length))
            {
                throw new IllegalStateException("client buffer full: the drain did not keep up");
            }
        }
        for (int i = 0; i < buffers.length; i++)
        {
            final OutboundBuffer buffer = buffers[i];
            written += buffer.writeTo(sink, buffer.publishedPosition());
        }
        return written;
    }
}
