package io.ringcast.bench;

import io.ringcast.bench.ws.WebSocketCodec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket connection of the load generator and its delivery bookkeeping.
 * <p>
 * Created and connected (blocking) on the main thread, which writes the upgrade request; from then on owned by one
 * {@link ReceiverAgent}, whose thread alone touches the mutable fields. The main thread reads them only after that
 * agent's thread has ended.
 */
final class BenchClient
{
    /** Waiting for the HTTP 101 answer. */
    static final int STATE_HANDSHAKE = 0;
    /** Upgraded; waiting for the {@code subscribed} reply. */
    static final int STATE_AWAIT_SUBSCRIBED = 1;
    /** Subscribed: messages are counted. */
    static final int STATE_LIVE = 2;
    /** Closed, by either side or by a failure. */
    static final int STATE_CLOSED = 3;

    final int index;
    final SocketChannel channel;
    /** The Sec-WebSocket-Key this client sent, to check the answer's accept key. */
    final String handshakeKey;
    SelectionKey key;
    int state = STATE_HANDSHAKE;

    /** Bytes of an incomplete frame (or HTTP head) carried to the next read. */
    byte[] pending = new byte[256];
    int pendingLength;

    /** The node's head id when this client subscribed; only ids above it are expected. */
    long headId = -1;
    /** The highest id received so far. */
    long lastId;
    /** Ids received above {@link #lastId} (the in-order, first-time deliveries). */
    long inOrder;
    /** Frames repeating {@link #lastId}. */
    long duplicates;
    /** Frames whose id is below {@link #lastId} (late, or a repeat of an older id). */
    long outOfOrder;
    /** Server messages that were neither a delivery nor the subscribe reply (errors, unknown). */
    long otherMessages;
    /** The close code sent by the server, 1006 when the connection ended without a close frame, 0 while open. */
    int serverCloseCode;
    /** Why the handshake or subscription failed, or null. */
    String failure;
    /** Set before registration: once subscribed, this client stops reading until its agent is told to resume. */
    boolean stalled;
    /** Reading is paused (a stalled client between its subscription and the drain phase). */
    boolean paused;

    private BenchClient(final int index, final SocketChannel channel, final String handshakeKey)
    {
        this.index = index;
        this.channel = channel;
        this.handshakeKey = handshakeKey;
    }

    /**
     * Connect (blocking, with a timeout), write the upgrade request for {@code GET /ws?topics=topic}, and switch the
     * channel to non-blocking mode.
     *
     * @param localAddress the address to bind, or null for the system's choice.
     */
    static BenchClient connect(
        final int index,
        final InetSocketAddress target,
        final InetSocketAddress localAddress,
        final String topic) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (localAddress != null)
            {
                channel.bind(localAddress);
            }
            channel.socket().connect(target, 10_000);

            final String key = WebSocketCodec.newKey();
            final ByteBuffer buffer = ByteBuffer.wrap(WebSocketCodec.upgradeRequest(
                target.getHostString() + ":" + target.getPort(),
                "/ws?topics=" + URLEncoder.encode(topic, StandardCharsets.UTF_8), key));
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.configureBlocking(false);
            return new BenchClient(index, channel, key);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /** Make room for {@code length} pending bytes (grows only; rare once frames reached their usual size). */
    void ensurePendingCapacity(final int length)
    {
        if (pending.length < length)
        {
            final byte[] bigger = new byte[Math.max(length, pending.length * 2)];
            System.arraycopy(pending, 0, bigger, 0, pendingLength);
            pending = bigger;
        }
    }
}
