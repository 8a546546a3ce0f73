package io.ringcast.transport.websocket;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Buffers the sessions of one I/O thread share to read and decode client frames: a session uses them only within its
 * read callback, and one I/O thread runs one callback at a time. A session keeps bytes of its own only between
 * reads: a frame cut by the end of a read, or a message still arriving in fragments.
 * <p>
 * Owned by one thread; created lazily so that a decoder used on its own costs no read buffer.
 */
public final class InboundScratch
{
    /** Control frame bodies are at most 125 bytes (RFC 6455 5.5). */
    static final int MAX_CONTROL_BYTES = 125;
    /** Room for any frame the decoder accepts: a whole message's worth of payload plus the longest header. */
    static final int READ_BUFFER_BYTES = ClientFrameDecoder.MAX_MESSAGE_BYTES + ClientFrameDecoder.MAX_HEADER_BYTES;

    private ByteBuffer readBuffer;
    private final byte[] control = new byte[MAX_CONTROL_BYTES];
    private byte[] message = new byte[0];
    private final UnsafeBuffer view = new UnsafeBuffer();

    /** The shared read buffer, cleared: position 0, limit its capacity. */
    ByteBuffer readBuffer()
    {
        ByteBuffer buffer = readBuffer;
        if (buffer == null)
        {
            // Direct: the socket reads straight into it instead of through the JDK's temporary direct buffer.
            buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
            readBuffer = buffer;
        }
        return buffer.clear();
    }

    byte[] control()
    {
        return control;
    }

    /** An array to unmask a whole message of {@code length} bytes into. */
    byte[] message(final int length)
    {
        byte[] bytes = message;
        if (bytes.length < length)
        {
            bytes = new byte[Math.max(length, Math.min(ClientFrameDecoder.MAX_MESSAGE_BYTES, bytes.length * 2))];
            message = bytes;
        }
        return bytes;
    }

    /** A view over {@code bytes}, valid until the next call. */
    UnsafeBuffer view(final byte[] bytes, final int length)
    {
        view.wrap(bytes, 0, length);
        return view;
    }
}
