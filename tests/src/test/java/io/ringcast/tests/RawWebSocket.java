package io.ringcast.tests;

import io.ringcast.bench.ws.BlockingWebSocketClient;
import io.ringcast.bench.ws.WebSocketCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The system tests' view of the shared {@link BlockingWebSocketClient}: frames as values, raw bytes out, and every
 * frame the node sends seen as it is (pings are not answered, nothing is refused), so tests can check the node's
 * own behaviour. Reads time out after {@link Await#TIMEOUT}.
 */
final class RawWebSocket implements AutoCloseable
{
    private static final int MAX_FRAME_BYTES = 4 << 20;

    final BlockingWebSocketClient client;
    final Socket socket;
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
            return WebSocketCodec.closeCode(body, 0, body.length);
        }
    }

    private RawWebSocket(final BlockingWebSocketClient client)
    {
        this.client = client;
        this.socket = client.socket();
        this.out = client.output();
    }

    /**
     * Connect and upgrade {@code /ws?query}.
     *
     * @param receiveBufferBytes SO_RCVBUF, 0 for the system's default (small values make a slow reader).
     * @throws IOException "upgrade refused: STATUS LINE" when the node does not switch protocols.
     */
    static RawWebSocket connect(final int port, final String query, final int receiveBufferBytes) throws IOException
    {
        return new RawWebSocket(BlockingWebSocketClient.connect(new InetSocketAddress("127.0.0.1", port),
            "/ws" + (query.isEmpty() ? "" : "?" + query), (int)Await.TIMEOUT.toMillis(), MAX_FRAME_BYTES,
            receiveBufferBytes));
    }

    static RawWebSocket connect(final int port, final String query) throws IOException
    {
        return connect(port, query, 0);
    }

    /** A client frame, masked or (to break the rules) not. */
    static byte[] frame(final int opcode, final boolean fin, final byte[] body, final boolean masked)
    {
        final byte[] frame = new byte[body.length + WebSocketCodec.MAX_HEADER_BYTES];
        final int length = WebSocketCodec.encodeFrame(frame, 0, opcode, fin, masked, 0x12345678, body, 0, body.length);
        return Arrays.copyOf(frame, length);
    }

    void sendText(final String text) throws IOException
    {
        client.sendText(text);
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        client.sendRaw(bytes);
    }

    Frame readFrame() throws IOException
    {
        final int opcode = client.readAnyFrame();
        return new Frame(opcode, client.payloadCopy());
    }

    /** Read frames until a close frame; returns its code. */
    int readUntilClose() throws IOException
    {
        while (client.readAnyFrame() != WebSocketCodec.OPCODE_CLOSE)
        {
            // skip messages and control frames
        }
        return client.closeCode();
    }

    /** The bytes after the frames read so far: {@code read()} is -1 once the node closed the connection. */
    InputStream input()
    {
        return new InputStream()
        {
            @Override
            public int read() throws IOException
            {
                return client.readRawByte();
            }
        };
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
