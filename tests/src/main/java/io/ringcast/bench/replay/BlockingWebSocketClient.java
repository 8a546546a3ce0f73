package io.ringcast.bench.replay;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal blocking RFC 6455 client for the replay benchmarks: one socket, one thread, no allocation per frame.
 * <p>
 * {@link #readFrame()} parses frames in place in a fixed read buffer; the frame's payload is
 * {@code buffer()[payloadOffset(), payloadOffset() + payloadLength())} until the next read. Pings are answered
 * inside {@link #readFrame()}. Reads fail with {@link java.net.SocketTimeoutException} after the read timeout, so a
 * stuck node cannot hang a benchmark. Not thread-safe: one owner.
 */
final class BlockingWebSocketClient implements AutoCloseable
{
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    static final int OPCODE_PING = 0x9;
    static final int OPCODE_PONG = 0xA;

    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final byte[] ID_PREFIX = "{\"id\":".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer;
    private final byte[] frameOut = new byte[64 * 1024];
    private int start;
    private int end;
    private int payloadOffset;
    private int payloadLength;
    private int closeCode;

    private BlockingWebSocketClient(final Socket socket, final int readBufferBytes) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.buffer = new byte[readBufferBytes];
    }

    /**
     * Connect, upgrade {@code GET /ws} (no topics) and wait for the 101 answer.
     *
     * @param readTimeoutMs how long any single read may block.
     * @param readBufferBytes the read buffer; also the largest frame this client accepts.
     */
    static BlockingWebSocketClient connect(
        final InetSocketAddress address, final int readTimeoutMs, final int readBufferBytes) throws IOException
    {
        final Socket socket = new Socket();
        try
        {
            socket.setTcpNoDelay(true);
            socket.setReceiveBufferSize(readBufferBytes);
            socket.connect(address, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(readTimeoutMs);
            final BlockingWebSocketClient client = new BlockingWebSocketClient(socket, readBufferBytes);
            client.handshake(address);
            return client;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /** Send one text frame (masked, as a client must). */
    void sendText(final byte[] text) throws IOException
    {
        sendFrame(OPCODE_TEXT, text, text.length);
    }

    /**
     * Read the next data or close frame, answering pings on the way.
     *
     * @return its opcode ({@link #OPCODE_TEXT}, {@link #OPCODE_BINARY} or {@link #OPCODE_CLOSE}, whose code is then
     * {@link #closeCode()}).
     * @throws IOException on a timeout, end of stream, a masked, fragmented or oversized frame.
     */
    int readFrame() throws IOException
    {
        while (true)
        {
            final int opcode = nextFrame();
            if (opcode == OPCODE_PING)
            {
                sendFrame(OPCODE_PONG, buffer, payloadOffset, payloadLength);
            }
            else if (opcode != OPCODE_PONG)
            {
                if (opcode == OPCODE_CLOSE)
                {
                    closeCode = payloadLength >= 2 ?
                        ((buffer[payloadOffset] & 0xFF) << 8) | (buffer[payloadOffset + 1] & 0xFF) : 1005;
                }
                return opcode;
            }
        }
    }

    /** The read buffer holding the last frame's payload. */
    byte[] buffer()
    {
        return buffer;
    }

    int payloadOffset()
    {
        return payloadOffset;
    }

    int payloadLength()
    {
        return payloadLength;
    }

    /** The code of the close frame last read. */
    int closeCode()
    {
        return closeCode;
    }

    /** The id of the last frame when it is a message ({@code {"id":N,...}}), else -1. */
    long messageId()
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
    String payloadText()
    {
        return new String(buffer, payloadOffset, payloadLength, StandardCharsets.UTF_8);
    }

    /** Close the socket without a close frame; safe from another thread (a blocked read then fails). */
    void abort()
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
            if (!socket.isClosed())
            {
                final byte[] code = {(byte)(1000 >> 8), (byte)(1000 & 0xFF)};
                sendFrame(OPCODE_CLOSE, code, code.length);
            }
        }
        catch (final IOException ignored)
        {
            // The node may be gone already; closing the socket is what matters.
        }
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // Nothing more to release.
        }
    }

    private void handshake(final InetSocketAddress address) throws IOException
    {
        final byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        final String key = Base64.getEncoder().encodeToString(nonce);
        final String request = "GET /ws HTTP/1.1\r\n" +
            "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + key + "\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();

        int headEnd = -1;
        while (headEnd < 0)
        {
            if (end >= MAX_HEAD_BYTES)
            {
                throw new IOException("no end of the HTTP answer within " + MAX_HEAD_BYTES + " bytes");
            }
            fill();
            for (int i = 3; i < end; i++)
            {
                if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n')
                {
                    headEnd = i + 1;
                    break;
                }
            }
        }
        final String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101"))
        {
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
        }
        if (!head.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-accept: " + acceptFor(key).toLowerCase(java.util.Locale.ROOT)))
        {
            throw new IOException("wrong Sec-WebSocket-Accept in: " + head.trim());
        }
        start = headEnd;
    }

    private int nextFrame() throws IOException
    {
        while (true)
        {
            final int available = end - start;
            if (available >= 2)
            {
                final int b0 = buffer[start] & 0xFF;
                final int b1 = buffer[start + 1] & 0xFF;
                if ((b1 & 0x80) != 0)
                {
                    throw new IOException("masked frame from the server");
                }
                final int length7 = b1 & 0x7F;
                final int headerBytes = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
                if (available >= headerBytes)
                {
                    long length = length7;
                    if (length7 == 126)
                    {
                        length = ((buffer[start + 2] & 0xFF) << 8) | (buffer[start + 3] & 0xFF);
                    }
                    else if (length7 == 127)
                    {
                        length = 0;
                        for (int i = 2; i < 10; i++)
                        {
                            length = (length << 8) | (buffer[start + i] & 0xFF);
                        }
                    }
                    if (length > buffer.length - headerBytes)
                    {
                        throw new IOException("frame of " + length + " bytes is larger than the read buffer");
                    }
                    if (available >= headerBytes + length)
                    {
                        if ((b0 & 0x80) == 0 || (b0 & 0x0F) == 0)
                        {
                            throw new IOException("fragmented frame from the server (not expected for messages)");
                        }
                        payloadOffset = start + headerBytes;
                        payloadLength = (int)length;
                        start += headerBytes + (int)length;
                        return b0 & 0x0F;
                    }
                }
            }
            fill();
        }
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

    private void sendFrame(final int opcode, final byte[] payload, final int length) throws IOException
    {
        sendFrame(opcode, payload, 0, length);
    }

    private void sendFrame(final int opcode, final byte[] payload, final int offset, final int length) throws IOException
    {
        if (length > frameOut.length - 14)
        {
            throw new IOException("client frame of " + length + " bytes is too large for this client");
        }
        int i = 0;
        frameOut[i++] = (byte)(0x80 | opcode);
        if (length < 126)
        {
            frameOut[i++] = (byte)(0x80 | length);
        }
        else
        {
            frameOut[i++] = (byte)(0x80 | 126);
            frameOut[i++] = (byte)(length >> 8);
            frameOut[i++] = (byte)length;
        }
        final int mask = ThreadLocalRandom.current().nextInt();
        final int maskAt = i;
        frameOut[i++] = (byte)(mask >> 24);
        frameOut[i++] = (byte)(mask >> 16);
        frameOut[i++] = (byte)(mask >> 8);
        frameOut[i++] = (byte)mask;
        for (int j = 0; j < length; j++)
        {
            frameOut[i++] = (byte)(payload[offset + j] ^ frameOut[maskAt + (j & 3)]);
        }
        out.write(frameOut, 0, i);
        out.flush();
    }

    private static String acceptFor(final String key)
    {
        try
        {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 unavailable", ex);
        }
    }
}
