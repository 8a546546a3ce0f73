package io.ringcast.transport.websocket;

import io.ringcast.transport.codec.JsonText;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds complete server-to-client WebSocket text frames (RFC 6455 header, unmasked, FIN) whose body is a Ringcast
 * message envelope: {@code {"id":N,"topic":"T","data":PAYLOAD}} (or {@code "group"}). The frame is built once per
 * message and then copied, unchanged, into every subscriber's buffer.
 * <p>
 * The body is written at {@link #MAX_HEADER_BYTES} and the header right in front of it, so one pass suffices.
 * Owned by one thread; the buffer grows (rarely) to the largest frame seen.
 */
public final class FrameEncoder
{
    public static final int MAX_HEADER_BYTES = 10;

    private static final byte[] ID_PREFIX = ascii("{\"id\":");
    private static final byte[] TOPIC_PREFIX = ascii(",\"topic\":\"");
    private static final byte[] GROUP_PREFIX = ascii(",\"group\":\"");
    private static final byte[] DATA_PREFIX = ascii("\",\"data\":");
    private static final byte[] REDELIVERED_SUFFIX = ascii(",\"redelivered\":true}");
    private static final int ENVELOPE_BYTES = ID_PREFIX.length + 20 + TOPIC_PREFIX.length + DATA_PREFIX.length +
        REDELIVERED_SUFFIX.length + 2;

    private UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private int frameOffset;
    private int frameLength;

    /**
     * Encode one message frame.
     *
     * @return the frame length; the frame is at {@link #frameOffset()} in {@link #buffer()}.
     */
    public int encodeMessage(
        final long id,
        final boolean group,
        final byte[] target,
        final int targetLength,
        final boolean json,
        final byte[] payload,
        final int payloadLength,
        final boolean redelivered)
    {
        final int payloadBytes = json ? payloadLength : JsonText.escapedLength(payload, 0, payloadLength) + 2;
        ensureCapacity(MAX_HEADER_BYTES + ENVELOPE_BYTES + targetLength + payloadBytes);
        final UnsafeBuffer b = buffer;

        int i = MAX_HEADER_BYTES;
        b.putBytes(i, ID_PREFIX);
        i += ID_PREFIX.length;
        i += b.putLongAscii(i, id);
        final byte[] prefix = group ? GROUP_PREFIX : TOPIC_PREFIX;
        b.putBytes(i, prefix);
        i += prefix.length;
        b.putBytes(i, target, 0, targetLength);
        i += targetLength;
        b.putBytes(i, DATA_PREFIX);
        i += DATA_PREFIX.length;
        if (json)
        {
            b.putBytes(i, payload, 0, payloadLength);
            i += payloadLength;
        }
        else
        {
            b.putByte(i++, (byte)'"');
            i = JsonText.escape(payload, 0, payloadLength, b, i);
            b.putByte(i++, (byte)'"');
        }
        if (redelivered)
        {
            b.putBytes(i, REDELIVERED_SUFFIX);
            i += REDELIVERED_SUFFIX.length;
        }
        else
        {
            b.putByte(i++, (byte)'}');
        }
        return putHeader(WebSocketFrames.OPCODE_TEXT, i - MAX_HEADER_BYTES);
    }

    /** Encode a text frame holding {@code json} (control replies; slow path). */
    public int encodeText(final String json)
    {
        final int chars = json.length();
        ensureCapacity(MAX_HEADER_BYTES + chars);
        for (int i = 0; i < chars; i++)
        {
            final char c = json.charAt(i);
            if (c >= 0x80)
            {
                // Not ASCII (a reply quoting a non-ASCII name): encode it the slow way.
                final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                ensureCapacity(MAX_HEADER_BYTES + bytes.length);
                buffer.putBytes(MAX_HEADER_BYTES, bytes);
                return putHeader(WebSocketFrames.OPCODE_TEXT, bytes.length);
            }
            buffer.putByte(MAX_HEADER_BYTES + i, (byte)c);
        }
        return putHeader(WebSocketFrames.OPCODE_TEXT, chars);
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public int frameOffset()
    {
        return frameOffset;
    }

    public int frameLength()
    {
        return frameLength;
    }

    private int putHeader(final int opcode, final int bodyLength)
    {
        final int headerLength = WebSocketFrames.headerLength(bodyLength);
        frameOffset = MAX_HEADER_BYTES - headerLength;
        WebSocketFrames.putHeader(buffer, frameOffset, opcode, bodyLength);
        frameLength = headerLength + bodyLength;
        return frameLength;
    }

    private void ensureCapacity(final int capacity)
    {
        if (buffer.capacity() < capacity)
        {
            buffer = new UnsafeBuffer(new byte[Math.max(capacity, buffer.capacity() * 2)]);
        }
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
