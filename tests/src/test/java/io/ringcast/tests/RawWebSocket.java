package io.ringcast.tests;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-made WebSocket client on a plain socket: it can break the protocol on purpose, split frames anywhere, or
 * stop reading altogether.
 */
final class RawWebSocket implements AutoCloseable
{
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    /** A received frame. */
    record Frame(int opcode, byte[] body)
    {
        String text()
        {
            return new String(body, StandardCharsets.UTF_8);
        }

        int closeCode()
        {
            return body.length >= 2 ? ((body[0] & 0xFF) << 8) | (body[1] & 0xFF) : 1005;
        }
    }

    private RawWebSocket(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connect and upgrade; returns the HTTP status line if the upgrade was refused (via exception message). */
    static RawWebSocket connect(final int port, final String query, final int receiveBufferBytes) throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout((int)Await.TIMEOUT.toMillis());
        final RawWebSocket ws = new RawWebSocket(socket);
        final byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        final String request = "GET /ws" + (query.isEmpty() ? "" : "?" + query) + " HTTP/1.1\r\n" +
            "Host: 127.0.0.1:" + port + "\r\n" +
            "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n" +
            "Sec-WebSocket-Version: 13\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        final String head = ws.readHttpHead();
        if (!head.startsWith("HTTP/1.1 101"))
        {
            socket.close();
            throw new IOException("upgrade refused: " + head);
        }
        return ws;
    }

    static RawWebSocket connect(final int port, final String query) throws IOException
    {
        return connect(port, query, 0);
    }

    private String readHttpHead() throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed during handshake: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ?
                matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A masked client frame. */
    static byte[] frame(final int opcode, final boolean fin, final byte[] body, final boolean masked)
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        final int maskBit = masked ? 0x80 : 0;
        if (body.length < 126)
        {
            frame.write(maskBit | body.length);
        }
        else if (body.length <= 0xFFFF)
        {
            frame.write(maskBit | 126);
            frame.write(body.length >>> 8);
            frame.write(body.length);
        }
        else
        {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                frame.write((int)((long)body.length >>> shift));
            }
        }
        final byte[] mask = {0x12, 0x34, 0x56, 0x78};
        if (masked)
        {
            frame.write(mask, 0, 4);
        }
        for (int i = 0; i < body.length; i++)
        {
            frame.write(masked ? body[i] ^ mask[i & 3] : body[i]);
        }
        return frame.toByteArray();
    }

    void sendText(final String text) throws IOException
    {
        sendRaw(frame(0x1, true, text.getBytes(StandardCharsets.UTF_8), true));
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    Frame readFrame() throws IOException
    {
        final int b0 = in.readUnsignedByte();
        final int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126)
        {
            length = in.readUnsignedShort();
        }
        else if (length == 127)
        {
            length = in.readLong();
        }
        final byte[] body = new byte[(int)length];
        in.readFully(body);
        return new Frame(b0 & 0x0F, body);
    }

    /** Read frames until a close frame; returns its code. */
    int readUntilClose() throws IOException
    {
        while (true)
        {
            final Frame frame = readFrame();
            if (frame.opcode() == 0x8)
            {
                return frame.closeCode();
            }
        }
    }

    InputStream input()
    {
        return in;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
