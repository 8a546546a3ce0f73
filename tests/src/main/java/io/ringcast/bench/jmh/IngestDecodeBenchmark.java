package io.ringcast.bench.jmh;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.ingest.IngestDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ingest decode + validate: {@link InboundMessage#wrap} over a received frame, which checks the topic name, the size,
 * UTF-8 and (with the JSON flag) JSON. One 100-byte text payload and one 100-byte JSON payload. Returns the status so
 * the validation cannot be optimised away.
 */
@State(Scope.Benchmark)
public class IngestDecodeBenchmark
{
    private final InboundMessage message = new InboundMessage();
    private UnsafeBuffer textFrame;
    private UnsafeBuffer jsonFrame;
    private int textLength;
    private int jsonLength;

    @Setup
    public void setUp()
    {
        final byte[] text = BenchFrames.textPayload(100);
        final byte[] json = BenchFrames.jsonPayload(100);
        textFrame = BenchFrames.frame((byte)0, text);
        jsonFrame = BenchFrames.frame(InboundMessage.FLAG_JSON, json);
        textLength = text.length;
        jsonLength = json.length;
        if (text() != 0 || json() != 0)
        {
            throw new IllegalStateException("fixture frames must be valid");
        }
    }

    @Benchmark
    public int text()
    {
        return wrap((byte)0, textFrame, textLength);
    }

    @Benchmark
    public int json()
    {
        return wrap(InboundMessage.FLAG_JSON, jsonFrame, jsonLength);
    }

    private int wrap(final byte flags, final UnsafeBuffer frame, final int payloadLength)
    {
        final int targetLength = BenchFrames.TOPIC.length;
        return message.wrap(flags, frame, IngestDescriptor.TARGET_OFFSET, targetLength,
            IngestDescriptor.TARGET_OFFSET + targetLength, payloadLength, BenchFrames.MAX_PAYLOAD_BYTES,
            BenchFrames.NO_REPLY).status();
    }
}
