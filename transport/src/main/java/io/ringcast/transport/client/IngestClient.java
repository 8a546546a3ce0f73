package io.ringcast.transport.client;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.ingest.IngestDescriptor;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A Java publisher for the ingest port. Blocking; one instance per thread.
 * <p>
 * {@link #publish} sends one message and waits for its id. For throughput, pipeline: call {@link #send} many times
 * (frames are buffered and flushed with {@link #flush()}) and read the replies, in the same order, with
 * {@link #readReply()}.
 */
public final class IngestClient implements AutoCloseable
{
    /** Message targets: topic or group, payload as text or JSON (the wire's flags, see {@link InboundMessage}). */
    public static final int FLAG_JSON = InboundMessage.FLAG_JSON;
    public static final int FLAG_GROUP = InboundMessage.FLAG_GROUP;

    private final SocketChannel channel;
    private final ByteBuffer out = ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.BIG_ENDIAN);
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.BIG_ENDIAN);

    private IngestClient(final SocketChannel channel)
    {
        this.channel = channel;
        in.flip();
    }

    public static IngestClient connect(final String host, final int port) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new IngestClient(channel);
    }

    /**
     * Publish one message and wait until it is journaled.
     *
     * @return its id.
     * @throws PublishException when the node refused it.
     */
    public long publish(final String target, final int flags, final byte[] payload) throws IOException
    {
        send(target, flags, payload);
        flush();
        final long reply = readReply();
        final int status = status(reply);
        if (status != PublishStatus.OK)
        {
            throw new PublishException(status);
        }
        return id(reply);
    }

    /** Buffer one frame (flushing first if the buffer is full). */
    public void send(final String target, final int flags, final byte[] payload) throws IOException
    {
        final byte[] targetBytes = target.getBytes(StandardCharsets.UTF_8);
        sendRaw(flags, targetBytes, payload, 0, payload.length);
    }

    /** Buffer one frame from raw parts; {@code payload[offset, offset+length)}. */
    public void sendRaw(final int flags, final byte[] target, final byte[] payload, final int offset, final int length)
        throws IOException
    {
        final int frameLength = IngestDescriptor.TARGET_OFFSET + target.length + length;
        if (out.remaining() < 4 + frameLength)
        {
            flush();
        }
        if (out.remaining() < 4 + frameLength)
        {
            final ByteBuffer big = ByteBuffer.allocate(4 + frameLength).order(ByteOrder.BIG_ENDIAN);
            putFrame(big, flags, target, payload, offset, length, frameLength);
            big.flip();
            writeFully(big);
            return;
        }
        putFrame(out, flags, target, payload, offset, length, frameLength);
    }

    /** Write raw bytes as they are (for tests of the decoder). */
    public void sendBytes(final byte[] bytes) throws IOException
    {
        flush();
        writeFully(ByteBuffer.wrap(bytes));
    }

    public void flush() throws IOException
    {
        out.flip();
        writeFully(out);
        out.clear();
    }

    /**
     * Wait for the next reply.
     *
     * @return {@code status << 56 | id}; see {@link #status(long)} and {@link #id(long)}.
     * @throws EOFException when the node closed the connection.
     */
    public long readReply() throws IOException
    {
        while (in.remaining() < IngestDescriptor.REPLY_BYTES)
        {
            in.compact();
            final int read = channel.read(in);
            in.flip();
            if (read < 0)
            {
                throw new EOFException("ingest connection closed by the node");
            }
        }
        final int status = in.get() & 0xFF;
        final long id = in.getLong();
        return ((long)status << 56) | id;
    }

    public static int status(final long reply)
    {
        return (int)(reply >>> 56);
    }

    public static long id(final long reply)
    {
        return reply & 0x00FF_FFFF_FFFF_FFFFL;
    }

    public SocketChannel channel()
    {
        return channel;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }

    private static void putFrame(
        final ByteBuffer buffer,
        final int flags,
        final byte[] target,
        final byte[] payload,
        final int offset,
        final int length,
        final int frameLength)
    {
        buffer.putInt(frameLength).put((byte)flags).putShort((short)target.length).put(target).put(payload, offset, length);
    }

    private void writeFully(final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    /** The node refused a publish. */
    public static final class PublishException extends IOException
    {
        private static final long serialVersionUID = 1L;
        private final int status;

        public PublishException(final int status)
        {
            super("publish refused: " + PublishStatus.code(status) + " (status " + status + ")");
            this.status = status;
        }

        public int status()
        {
            return status;
        }
    }
}
