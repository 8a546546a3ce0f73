package io.ringcast.bench.ws;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one blocking RFC 6455 client of the tests and benchmarks: one socket, one owner thread, no allocation per
 * frame. The non-blocking load generator ({@code ReceiverAgent}) shares its codec ({@link WebSocketCodec},
 * {@link ServerFrameHeader}).
 * <p>
 * Frames are parsed in place in one read buffer; the last frame's payload is
 * {@code buffer()[payloadOffset(), payloadOffset() + payloadLength())} until the next read. {@link #readFrame()}
 * answers pings and refuses what a server must not send (masked or fragmented frames); {@link #readAnyFrame()}
 * returns whatever comes, for tests of the node's own behaviour. Reads fail with
 * {@link java.net.SocketTimeoutException} after the read timeout, so a stuck node cannot hang a test.
 */
public final class BlockingWebSocketClient implements AutoCloseable
{
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final byte[] ID_PREFIX = "{\"id\":".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ServerFrameHeader header = new ServerFrameHeader();
    private final byte[] buffer;
    private byte[] frameOut = new byte[64 * 1024];
    private int start;
    private int end;
    private int payloadOffset;
    private int payloadLength;
    private boolean fin;
    private int closeCode;

    private BlockingWebSocketClient(final Socket socket, final int readBufferBytes) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.buffer = new byte[readBufferBytes];
    }

    /** Connect, upgrade {@code GET /ws} (no topics) and wait for the 101 answer; the socket buffer as the read one. */
    public static BlockingWebSocketClient connect(
        final InetSocketAddress address, final int readTimeoutMs, final int readBufferBytes) throws IOException
    {
        return connect(address, "/ws", readTimeoutMs, readBufferBytes, readBufferBytes);
    }

    /**
     * Connect, send the upgrade for {@code pathAndQuery} and check the 101 answer and its accept key.
     *
     * @param readTimeoutMs how long any single read may block.
     * @param readBufferBytes the read buffer; also the largest frame this client accepts.
     * @param receiveBufferBytes the socket's receive buffer (SO_RCVBUF), 0 for the system's default.
     * @throws IOException with "upgrade refused: STATUS LINE" when the node does not switch protocols.
     */
    public static BlockingWebSocketClient connect(
        final InetSocketAddress address, final String pathAndQuery, final int readTimeoutMs, final int readBufferBytes,
        final int receiveBufferBytes) throws IOException
    {
        final Socket socket = new Socket();
        try
        {
            socket.setTcpNoDelay(true);
            if (receiveBufferBytes > 0)
            {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.connect(address, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(readTimeoutMs);
            final BlockingWebSocketClient client = new BlockingWebSocketClient(socket, readBufferBytes);
            client.handshake(address.getHostString() + ":" + address.getPort(), pathAndQuery);
            return client;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    public void sendText(final byte[] text) throws IOException
    {
        sendFrame(WebSocketCodec.OPCODE_TEXT, text, 0, text.length);
    }

    public void sendText(final String text) throws IOException
    {
        sendText(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Send one final, masked frame. */
    public void sendFrame(final int opcode, final byte[] payload, final int offset, final int length) throws IOException
    {
        if (frameOut.length < length + WebSocketCodec.MAX_HEADER_BYTES)
        {
            frameOut = new byte[length + WebSocketCodec.MAX_HEADER_BYTES];
        }
        final int frameLength = WebSocketCodec.encodeFrame(
            frameOut, 0, opcode, true, true, ThreadLocalRandom.current().nextInt(), payload, offset, length);
        out.write(frameOut, 0, frameLength);
        out.flush();
    }

    /** Send bytes as they are: broken frames, partial frames, garbage. */
    public void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * Read the next data or close frame, answering pings on the way.
     *
     * @return its opcode (text, binary, or close, whose code is then {@link #closeCode()}).
     * @throws IOException on a timeout, end of stream, a masked, fragmented or oversized frame.
     */
    public int readFrame() throws IOException
    {
        while (true)
        {
            final int opcode = readAnyFrame();
            if (header.masked())
            {
                throw new IOException("masked frame from the server");
            }
            if (!fin || opcode == WebSocketCodec.OPCODE_CONTINUATION)
            {
                throw new IOException("fragmented frame from the server (not expected for messages)");
            }
            if (opcode == WebSocketCodec.OPCODE_PING)
            {
                sendFrame(WebSocketCodec.OPCODE_PONG, buffer, payloadOffset, payloadLength);
            }
            else if (opcode != WebSocketCodec.OPCODE_PONG)
            {
                return opcode;
            }
        }
    }

    /**
     * Read the next frame, whatever it is (control frames, fragments, masked ones included), without answering it.
     *
     * @return its opcode; {@link #fin()} and the payload accessors describe it.
     * @throws IOException on a timeout, end of stream, or a frame larger than the read buffer.
     */
    public int readAnyFrame() throws IOException
    {
        while (true)
        {
            if (header.decode(buffer, start, end - start))
            {
                final int frameLength = header.frameLength();
                if (frameLength < 0 || frameLength > buffer.length)
                {
                    throw new IOException("frame of " + header.payloadLength() + " bytes is larger than the read buffer");
                }
                if (end - start >= frameLength)
                {
                    fin = header.fin();
                    payloadOffset = start + header.headerLength();
                    payloadLength = (int)header.payloadLength();
                    start += frameLength;
                    final int opcode = header.opcode();
                    if (opcode == WebSocketCodec.OPCODE_CLOSE)
                    {
                        closeCode = WebSocketCodec.closeCode(buffer, payloadOffset, payloadLength);
                    }
                    return opcode;
                }
            }
            fill();
        }
    }

    /** The next byte after the frames read so far, or -1 at the end of the stream (to check the node closed). */
    public int readRawByte() throws IOException
    {
        if (start < end)
        {
            return buffer[start++] & 0xFF;
        }
        return in.read();
    }

    /** The read buffer holding the last frame's payload. */
    public byte[] buffer()
    {
        return buffer;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    /** Whether the last frame had FIN set. */
    public boolean fin()
    {
        return fin;
    }

    /** The code of the close frame last read. */
    public int closeCode()
    {
        return closeCode;
    }

    /** The id of the last frame when it is a message ({@code {"id":N,...}}), else -1. */
    public long messageId()
    {
        final int length = payloadLength;
        if (length <= ID_PREFIX.length)
        {
            return -1;
        }
        int i = payloadOffset;
        for (final byte b : ID_PREFIX)
        {
            if (buffer[i++] != b)
            {
                return -1;
            }
        }
        final int limit = payloadOffset + length;
        long id = 0;
        int digits = 0;
        while (i < limit)
        {
            final int digit = buffer[i++] - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            id = id * 10 + digit;
            digits++;
        }
        return digits > 0 ? id : -1;
    }

    /** The last frame's payload as text (allocates: for replies and errors, not messages). */
    public String payloadText()
    {
        return new String(buffer, payloadOffset, payloadLength, StandardCharsets.UTF_8);
    }

    /** The last frame's payload as a new array (allocates). */
    public byte[] payloadCopy()
    {
        final byte[] copy = new byte[payloadLength];
        System.arraycopy(buffer, payloadOffset, copy, 0, payloadLength);
        return copy;
    }

    public Socket socket()
    {
        return socket;
    }

    public OutputStream output()
    {
        return out;
    }

    /** Close the socket without a close frame; safe from another thread (a blocked read then fails). */
    public void abort()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // Nothing more to release.
        }
    }

    /** Send close 1000 (best effort) and close the socket. */
    @Override
    public void close()
    {
        try
        {
            if (!socket.isClosed() && !socket.isOutputShutdown())
            {
                final byte[] code = {(byte)(WebSocketCodec.CLOSE_NORMAL >> 8), (byte)WebSocketCodec.CLOSE_NORMAL};
                sendFrame(WebSocketCodec.OPCODE_CLOSE, code, 0, code.length);
            }
        }
        catch (final IOException ignored)
        {
            // The node may be gone already; closing the socket is what matters.
        }
        abort();
    }

    private void handshake(final String hostAndPort, final String pathAndQuery) throws IOException
    {
        final String key = WebSocketCodec.newKey();
        out.write(WebSocketCodec.upgradeRequest(hostAndPort, pathAndQuery, key));
        out.flush();
        int headEnd = -1;
        while (headEnd < 0)
        {
            if (end >= Math.min(MAX_HEAD_BYTES, buffer.length))
            {
                throw new IOException("no end of the HTTP answer within " + end + " bytes");
            }
            fill();
            headEnd = WebSocketCodec.endOfHead(buffer, end);
        }
        final String head = new String(buffer, 0, headEnd - 4, StandardCharsets.ISO_8859_1);
        final String problem = WebSocketCodec.upgradeProblem(head, key);
        if (problem != null)
        {
            throw new IOException(problem);
        }
        start = headEnd;
    }

    private void fill() throws IOException
    {
        if (start == end)
        {
            start = 0;
            end = 0;
        }
        else if (end == buffer.length || start > buffer.length / 2)
        {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        final int read = in.read(buffer, end, buffer.length - end);
        if (read < 0)
        {
            throw new EOFException("connection closed by the node");
        }
        end += read;
    }
}
