package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.metrics.Metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads and decodes what one client sends, and hands each decoded message to its session: requests, acks, pings,
 * its close frame, protocol errors. Owned by the client's I/O thread, like every field here.
 * <p>
 * Everything the socket has is read into the I/O thread's shared buffer ({@link InboundScratch}), behind any frame
 * the last read cut short, and decoded. The buffer holds any frame the decoder accepts, so a cut frame always fits;
 * its bytes are copied out to this reader until the next read.
 */
final class InboundReader implements ClientFrameDecoder.Handler
{
    private final ClientSession session;
    private final InboundScratch scratch;
    private final ClientFrameDecoder decoder;
    private final Metrics metrics;
    /** Bytes of a frame cut by the end of the last read (or read ahead with the handshake), or null. */
    private byte[] pendingInput;
    private long lastReadNs;

    InboundReader(
        final ClientSession session,
        final InboundScratch scratch,
        final byte[] readAhead,
        final Metrics metrics,
        final long nowNs)
    {
        this.session = session;
        this.scratch = scratch;
        this.decoder = new ClientFrameDecoder(this, scratch);
        this.pendingInput = readAhead;
        this.metrics = metrics;
        this.lastReadNs = nowNs;
    }

    /** Bytes are waiting to be decoded without a read (read ahead with the handshake, or a cut frame). */
    boolean hasPendingInput()
    {
        return pendingInput != null;
    }

    /** When bytes last arrived from the client. */
    long lastReadNs()
    {
        return lastReadNs;
    }

    /**
     * Read what the socket has and decode it; stops early when the session is closed or stops reading (its
     * requests are back-pressured).
     *
     * @return false at end of stream.
     */
    boolean read(final ReadableByteChannel source) throws IOException
    {
        final ByteBuffer in = scratch.readBuffer();
        // Bytes from before (read ahead with the handshake, or a cut frame) are decoded even if none follow.
        boolean undecoded = false;
        if (pendingInput != null)
        {
            in.put(pendingInput);
            pendingInput = null;
            undecoded = true;
        }
        while (true)
        {
            final int read = source.read(in);
            if (read < 0)
            {
                return false;
            }
            if (read > 0)
            {
                lastReadNs = System.nanoTime();
            }
            else if (!undecoded)
            {
                break;
            }
            undecoded = false;
            in.flip();
            decoder.decode(in);
            if (session.isClosed())
            {
                return true;
            }
            if (decoder.isDone())
            {
                // After a close frame or a protocol error the rest is not looked at; reading goes on for EOF.
                in.clear();
            }
            else
            {
                in.compact();
            }
            if (read == 0 || session.hasPendingRequests())
            {
                break;
            }
        }
        if (in.position() > 0)
        {
            final byte[] cut = new byte[in.position()];
            in.flip();
            in.get(cut);
            pendingInput = cut;
        }
        return true;
    }

    @Override
    public void onTextMessage(final byte[] utf8, final int length)
    {
        final ClientRequest request = ClientRequestParser.parse(new String(utf8, 0, length, StandardCharsets.UTF_8));
        if (request.op() == ClientRequest.Op.ACK)
        {
            // Acks concern this connection's I/O thread only; outside ack mode they are accepted and ignored.
            session.onAck(request.ackId());
            return;
        }
        if (request.op() == ClientRequest.Op.INVALID)
        {
            metrics.badRequests.increment();
        }
        session.submitRequest(request);
    }

    @Override
    public void onBinaryMessage()
    {
        metrics.badRequests.increment();
        session.submitRequest(ClientRequest.invalid("binary frames are not accepted; send JSON text frames"));
    }

    @Override
    public void onPing(final byte[] body, final int length)
    {
        session.onPing(body, length);
    }

    @Override
    public void onPong()
    {
    }

    @Override
    public void onClose(final int code)
    {
        session.onPeerClose(code);
    }

    @Override
    public void onProtocolError(final int closeCode, final String reason)
    {
        session.onProtocolError(closeCode, reason);
    }
}
