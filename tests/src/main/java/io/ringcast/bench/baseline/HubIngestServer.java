package io.ringcast.bench.baseline;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline's TCP ingest port: Ringcast's binary framing (u32 length, u8 flags, u16 target length, target,
 * payload; reply u8 status + u64 id), one blocking thread per publisher connection, each accepted message handed
 * straight to {@link Hub#publish}. There is no journal, so a reply means "broadcast", not "durable".
 * <p>
 * Checks, lowest status winning as in the contract: 5 unknown flag bits or target length beyond the frame, 1 invalid
 * topic name or the group bit (the baseline has no groups), 2 payload over 1 MiB, 3 invalid UTF-8. JSON payloads
 * (flag bit 0) are embedded as they are, without validation. Replies are buffered and flushed when no more input is
 * waiting, so a pipelined publisher gets them coalesced.
 */
final class HubIngestServer implements AutoCloseable
{
    private static final int MAX_PAYLOAD_BYTES = 1024 * 1024;
    private static final int FRAME_SLACK_BYTES = 64 * 1024;
    private static final int KNOWN_FLAGS = 0x03;
    private static final int FLAG_JSON = 0x01;
    private static final int FLAG_GROUP = 0x02;
    private static final int STATUS_OK = 0;
    private static final int STATUS_BAD_TARGET = 1;
    private static final int STATUS_TOO_LARGE = 2;
    private static final int STATUS_BAD_PAYLOAD = 3;
    private static final int STATUS_BAD_FRAME = 5;

    private final ServerSocket serverSocket;
    private final Hub hub;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    HubIngestServer(final InetSocketAddress address, final Hub hub) throws IOException
    {
        this.hub = hub;
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(address, 128);
    }

    int localPort()
    {
        return serverSocket.getLocalPort();
    }

    void start()
    {
        final Thread acceptor = new Thread(this::accept, "hub-ingest-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            serverSocket.close();
        }
        catch (final IOException ignore)
        {
            // stopping anyway
        }
        for (final Socket socket : connections)
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // stopping anyway
            }
        }
    }

    private void accept()
    {
        while (running)
        {
            try
            {
                final Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                connections.add(socket);
                final Thread thread = new Thread(() -> serve(socket), "hub-ingest-" + socket.getPort());
                thread.setDaemon(true);
                thread.start();
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    System.err.println("hub ingest: accept failed: " + ex);
                }
            }
        }
    }

    private void serve(final Socket socket)
    {
        final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (socket;
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)))
        {
            while (true)
            {
                final int length;
                try
                {
                    length = in.readInt();
                }
                catch (final EOFException ex)
                {
                    break;
                }
                if (length < 3 || length > MAX_PAYLOAD_BYTES + FRAME_SLACK_BYTES)
                {
                    break;
                }
                final byte[] frame = new byte[length];
                in.readFully(frame);
                final long id = onFrame(frame, utf8);
                out.writeByte(id > 0 ? STATUS_OK : (int)-id);
                out.writeLong(Math.max(id, 0));
                if (in.available() == 0)
                {
                    out.flush();
                }
            }
            out.flush();
        }
        catch (final IOException ex)
        {
            if (running)
            {
                System.err.println("hub ingest: connection ended: " + ex);
            }
        }
        finally
        {
            connections.remove(socket);
        }
    }

    /** @return the id (positive) of an accepted message, or minus the refusal status. */
    private long onFrame(final byte[] frame, final CharsetDecoder utf8)
    {
        final int flags = frame[0] & 0xFF;
        final int targetLength = ((frame[1] & 0xFF) << 8) | (frame[2] & 0xFF);
        if ((flags & ~KNOWN_FLAGS) != 0 || targetLength > frame.length - 3)
        {
            return -STATUS_BAD_FRAME;
        }
        if ((flags & FLAG_GROUP) != 0 || !validName(frame, 3, targetLength))
        {
            return -STATUS_BAD_TARGET;
        }
        final int payloadOffset = 3 + targetLength;
        final int payloadLength = frame.length - payloadOffset;
        if (payloadLength > MAX_PAYLOAD_BYTES)
        {
            return -STATUS_TOO_LARGE;
        }
        final String payload;
        try
        {
            payload = utf8.decode(ByteBuffer.wrap(frame, payloadOffset, payloadLength)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return -STATUS_BAD_PAYLOAD;
        }
        final String topic = new String(frame, 3, targetLength, StandardCharsets.US_ASCII);
        return hub.publish(topic, (flags & FLAG_JSON) != 0 ? payload : io.ringcast.transport.codec.JsonText.quote(payload));
    }

    private static boolean validName(final byte[] bytes, final int offset, final int length)
    {
        if (length < 1 || length > 255)
        {
            return false;
        }
        for (int i = offset; i < offset + length; i++)
        {
            final byte b = bytes[i];
            final boolean ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                b == '.' || b == '_' || b == ':' || b == '/' || b == '-';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
