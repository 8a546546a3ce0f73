package io.ringcast.transport.websocket;

import io.ringcast.transport.codec.Utf8Validator;

import java.nio.ByteBuffer;

/**
 * Decodes client-to-server WebSocket frames (RFC 6455): unmasks, reassembles fragmented messages up to
 * {@link #MAX_MESSAGE_BYTES}, validates text as UTF-8 and enforces the protocol rules a server must (client frames
 * masked, no reserved bits, control frames short and unfragmented). Owned by the connection's I/O thread.
 * <p>
 * Frames are unmasked into an {@link InboundScratch} shared with the other connections of the thread; a decoder
 * holds bytes of its own only while a fragmented message is incomplete.
 */
public final class ClientFrameDecoder
{
    /** Largest client message after reassembling fragments; larger ones close the connection with 1009. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Longest possible client frame header: 2 + 8 (length) + 4 (mask). */
    public static final int MAX_HEADER_BYTES = 14;

    /** What the decoder found. Called on the decoding thread; buffers are only valid during the call. */
    public interface Handler
    {
        void onTextMessage(byte[] utf8, int length);

        void onBinaryMessage();

        void onPing(byte[] body, int length);

        void onPong();

        /** The peer's close frame; {@code code} is 1005 when it carried none. */
        void onClose(int code);

        /** The peer broke the protocol: close with this code, stop reading. */
        void onProtocolError(int closeCode, String reason);
    }

    private final Handler handler;
    private final InboundScratch scratch;
    /** The fragments of an unfinished message, or null. */
    private byte[] fragments;
    private int messageLength;
    private int messageOpcode = -1;
    private boolean failed;

    /** A decoder with scratch buffers of its own. */
    public ClientFrameDecoder(final Handler handler)
    {
        this(handler, new InboundScratch());
    }

    /** @param scratch shared with other decoders called on the same thread only. */
    public ClientFrameDecoder(final Handler handler, final InboundScratch scratch)
    {
        this.handler = handler;
        this.scratch = scratch;
    }

    /**
     * Decode all complete frames in {@code in} (between position and limit); the position is left at the first byte
     * not consumed.
     *
     * @return the number of bytes the buffer must be able to hold for the next frame to fit (so the caller can
     * grow it), or 0 when any size will do.
     */
    public int decode(final ByteBuffer in)
    {
        while (!failed && in.remaining() >= 2)
        {
            final int start = in.position();
            final int b0 = in.get(start) & 0xFF;
            final int b1 = in.get(start + 1) & 0xFF;
            final boolean fin = (b0 & 0x80) != 0;
            final int opcode = b0 & 0x0F;
            final int length7 = b1 & 0x7F;

            if ((b0 & 0x70) != 0)
            {
                return fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension");
            }
            if ((b1 & 0x80) == 0)
            {
                return fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "client frames must be masked");
            }
            final boolean isControl = opcode >= 0x8;
            if (isControl && (length7 > 125 || !fin))
            {
                return fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "control frames must be short and unfragmented");
            }
            if (opcode > 0xA || (opcode > 0x2 && opcode < 0x8))
            {
                return fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "unknown opcode " + opcode);
            }

            final int lengthFieldBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            final int headerLength = 2 + lengthFieldBytes + 4;
            if (in.remaining() < headerLength)
            {
                return headerLength;
            }
            final long length;
            if (length7 == 126)
            {
                length = in.getShort(start + 2) & 0xFFFF;
            }
            else if (length7 == 127)
            {
                length = in.getLong(start + 2);
                if (length < 0)
                {
                    return fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "frame length has its top bit set");
                }
            }
            else
            {
                length = length7;
            }

            if (!isControl)
            {
                if (opcode == WebSocketFrames.OPCODE_CONTINUATION && messageOpcode < 0)
                {
                    return fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "continuation without a message to continue");
                }
                if (opcode != WebSocketFrames.OPCODE_CONTINUATION && messageOpcode >= 0)
                {
                    return fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "new message before the last one finished");
                }
                if (messageLength + length > MAX_MESSAGE_BYTES)
                {
                    return fail(WebSocketFrames.CLOSE_TOO_BIG, "message larger than 64 KiB");
                }
            }

            final int frameLength = headerLength + (int)length;
            if (in.remaining() < frameLength)
            {
                return frameLength;
            }

            final int maskOffset = start + 2 + lengthFieldBytes;
            final int payloadOffset = maskOffset + 4;
            final int payloadLength = (int)length;
            if (isControl)
            {
                unmask(in, maskOffset, payloadOffset, payloadLength, scratch.control(), 0);
                in.position(start + frameLength);
                onControl(opcode, payloadLength);
            }
            else if (fin && opcode != WebSocketFrames.OPCODE_CONTINUATION)
            {
                // A whole message in one frame, the usual case: nothing to keep once it is handled.
                final byte[] message = scratch.message(payloadLength);
                unmask(in, maskOffset, payloadOffset, payloadLength, message, 0);
                in.position(start + frameLength);
                onMessage(opcode, message, payloadLength);
            }
            else
            {
                if (opcode != WebSocketFrames.OPCODE_CONTINUATION)
                {
                    messageOpcode = opcode;
                    messageLength = 0;
                }
                ensureFragmentCapacity(messageLength + payloadLength);
                unmask(in, maskOffset, payloadOffset, payloadLength, fragments, messageLength);
                messageLength += payloadLength;
                in.position(start + frameLength);
                if (fin)
                {
                    final byte[] message = fragments;
                    final int messageOpcode = this.messageOpcode;
                    final int messageLength = this.messageLength;
                    fragments = null;
                    this.messageOpcode = -1;
                    this.messageLength = 0;
                    onMessage(messageOpcode, message, messageLength);
                }
            }
        }
        return failed ? 0 : 2;
    }

    /** Whether decoding has stopped for good: a close frame arrived or the peer broke the protocol. */
    public boolean isDone()
    {
        return failed;
    }

    private void onMessage(final int opcode, final byte[] message, final int length)
    {
        if (opcode == WebSocketFrames.OPCODE_BINARY)
        {
            handler.onBinaryMessage();
            return;
        }
        if (!Utf8Validator.isValid(scratch.view(message, length), 0, length))
        {
            fail(WebSocketFrames.CLOSE_INVALID_DATA, "text message is not valid UTF-8");
            return;
        }
        handler.onTextMessage(message, length);
    }

    private void onControl(final int opcode, final int length)
    {
        final byte[] control = scratch.control();
        switch (opcode)
        {
            case WebSocketFrames.OPCODE_PING:
                handler.onPing(control, length);
                break;
            case WebSocketFrames.OPCODE_PONG:
                handler.onPong();
                break;
            default:
                if (length == 1)
                {
                    fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "close frame with a 1-byte body");
                    return;
                }
                final int code = length >= 2 ? ((control[0] & 0xFF) << 8) | (control[1] & 0xFF) :
                    WebSocketFrames.CLOSE_NO_STATUS;
                if (length >= 2 && !isValidCloseCode(code))
                {
                    fail(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "close code " + code + " may not be sent");
                    return;
                }
                if (length > 2 && !Utf8Validator.isValid(scratch.view(control, length), 2, length - 2))
                {
                    fail(WebSocketFrames.CLOSE_INVALID_DATA, "close reason is not valid UTF-8");
                    return;
                }
                failed = true;
                handler.onClose(code);
        }
    }

    /** RFC 6455 7.4: codes an endpoint may send (1005, 1006, 1015 and unassigned ones may not). */
    static boolean isValidCloseCode(final int code)
    {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private int fail(final int closeCode, final String reason)
    {
        failed = true;
        handler.onProtocolError(closeCode, reason);
        return 0;
    }

    private void ensureFragmentCapacity(final int capacity)
    {
        final byte[] current = fragments;
        if (current == null || current.length < capacity)
        {
            final int currentLength = current == null ? 0 : current.length;
            final byte[] bigger =
                new byte[Math.min(MAX_MESSAGE_BYTES, Math.max(Math.max(capacity, 128), currentLength * 2))];
            if (current != null)
            {
                System.arraycopy(current, 0, bigger, 0, messageLength);
            }
            fragments = bigger;
        }
    }

    private static void unmask(
        final ByteBuffer in, final int maskOffset, final int offset, final int length, final byte[] dst, final int dstOffset)
    {
        final byte m0 = in.get(maskOffset);
        final byte m1 = in.get(maskOffset + 1);
        final byte m2 = in.get(maskOffset + 2);
        final byte m3 = in.get(maskOffset + 3);
        for (int i = 0; i < length; i++)
        {
            final byte mask;
            switch (i & 3)
            {
                case 0: mask = m0; break;
                case 1: mask = m1; break;
                case 2: mask = m2; break;
                default: mask = m3;
            }
            dst[dstOffset + i] = (byte)(in.get(offset + i) ^ mask);
        }
    }
}
