package io.ringcast.bench.jmh;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.ingest.IngestDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fixtures shared by the benchmarks: ingest frames as the node receives them (flags, u16 target length, target,
 * payload; the u32 length field already consumed) and payloads of a given size. Setup-time only.
 */
final class BenchFrames
{
    /** The topic every benchmark publishes to. */
    static final byte[] TOPIC = "bench".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    /** A replier that ignores replies (the benchmarks stop before the journal thread). */
    static final PublishReplier NO_REPLY = new PublishReplier()
    {
        @Override
        public boolean reply(final int status, final long id)
        {
            return false;
        }

        @Override
        public void commit()
        {
        }
    };

    private BenchFrames()
    {
    }

    /** Printable ASCII text of {@code lengthBytes}, shaped like the load generator's stamps. */
    static byte[] textPayload(final int lengthBytes)
    {
        final byte[] payload = new byte[lengthBytes];
        Arrays.fill(payload, (byte)'x');
        final byte[] stamp = "123456789012345:42:".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stamp, 0, payload, 0, Math.min(stamp.length, lengthBytes));
        return payload;
    }

    /** A JSON object of exactly {@code lengthBytes}: {@code {"seq":42,"ok":true,"text":"xxx..."}}. */
    static byte[] jsonPayload(final int lengthBytes)
    {
        final String head = "{\"seq\":42,\"ok\":true,\"n\":[1,2.5,-3e2],\"text\":\"";
        final String tail = "\"}";
        final int fill = lengthBytes - head.length() - tail.length();
        if (fill < 0)
        {
            throw new IllegalArgumentException("JSON payload too small: " + lengthBytes);
        }
        return (head + "x".repeat(fill) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    /** An ingest frame body (after the length field) in a buffer: flags, target length, target, payload. */
    static UnsafeBuffer frame(final byte flags, final byte[] payload)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[IngestDescriptor.TARGET_OFFSET + TOPIC.length + payload.length]);
        buffer.putByte(IngestDescriptor.FLAGS_OFFSET, flags);
        buffer.putShort(IngestDescriptor.TARGET_LENGTH_OFFSET, (short)TOPIC.length, ByteOrder.BIG_ENDIAN);
        buffer.putBytes(IngestDescriptor.TARGET_OFFSET, TOPIC);
        buffer.putBytes(IngestDescriptor.TARGET_OFFSET + TOPIC.length, payload);
        return buffer;
    }

    /** A wrapped, valid text message of {@code payloadBytes}. */
    static InboundMessage textMessage(final int payloadBytes)
    {
        final byte[] payload = textPayload(payloadBytes);
        final UnsafeBuffer frame = frame((byte)0, payload);
        final InboundMessage message = new InboundMessage().wrap(
            (byte)0, frame, IngestDescriptor.TARGET_OFFSET, TOPIC.length, IngestDescriptor.TARGET_OFFSET + TOPIC.length,
            payload.length, MAX_PAYLOAD_BYTES, NO_REPLY);
        if (message.status() != 0)
        {
            throw new IllegalStateException("fixture message refused with status " + message.status());
        }
        return message;
    }
}
