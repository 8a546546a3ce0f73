package io.ringcast.transport.websocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.AbstractServerConnection;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.StreamSourceConduit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Detaches a connection Undertow has upgraded from Undertow's HTTP/1.1 state, so that state (about 1 KiB a
 * connection: the {@code HttpServerConnection}, its read listener and parser state, response conduits, the
 * request-parse timer) can be collected while the WebSocket stays open.
 * <p>
 * Undertow keeps it reachable until the socket closes, through: the conduit that replays bytes read past the
 * handshake request, its listener's set of open connections and the parse timer on the I/O thread (both released by
 * its close listeners), and the close listener it registered on the {@link StreamConnection}, which XNIO only lets
 * callers add to, not replace. The last one is swapped through XNIO's private field; if that field is not there
 * (another XNIO version), the connection keeps working and only the memory is not saved.
 * <p>
 * I/O thread only, in {@code HttpUpgradeListener.handleUpgrade}, before anything reads the connection.
 */
final class UpgradeHandover
{
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeHandover.class);
    private static final VarHandle CLOSE_LISTENER = closeListenerField();

    private UpgradeHandover()
    {
    }

    /**
     * Take the bytes the client sent after its handshake request that Undertow had already read (a client may send
     * frames without waiting for the 101), and read straight from the socket from now on.
     *
     * @return those bytes, in order, or null when there were none.
     */
    static byte[] takeReadAhead(final StreamConnection connection, final AbstractServerConnection http)
    {
        byte[] bytes = null;
        final PooledByteBuffer extra = http.getExtraBytes(); // null when there are none left
        if (extra != null)
        {
            final ByteBuffer buffer = extra.getBuffer();
            bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            extra.close();
            http.setExtraBytes(null);
        }
        final ConduitStreamSourceChannel source = connection.getSourceChannel();
        final StreamSourceConduit original = http.getOriginalSourceConduit();
        if (original != null && source.getConduit() != original)
        {
            // Undertow's replaying conduit, now empty: it holds the HTTP connection and adds a call per read.
            source.setConduit(original);
        }
        return bytes;
    }

    /**
     * Make {@code listener} the connection's close listener in place of Undertow's, and run Undertow's now: its
     * close listeners forget the connection and cancel its parse timer, which is all it does at close for an
     * upgraded connection with no exchange and no read-ahead left.
     *
     * @return false when Undertow's listener could not be replaced: {@code listener} was added after it instead
     * (or run at once if the connection has closed meanwhile), as {@link StreamConnection#setCloseListener} does.
     */
    static boolean takeCloseListener(
        final StreamConnection connection,
        final AbstractServerConnection http,
        final ChannelListener<? super StreamConnection> listener)
    {
        if (CLOSE_LISTENER != null)
        {
            @SuppressWarnings("unchecked")
            final AtomicReference<ChannelListener<? super StreamConnection>> closeListener =
                (AtomicReference<ChannelListener<? super StreamConnection>>)CLOSE_LISTENER.get(connection);
            final ChannelListener<? super StreamConnection> undertows = closeListener.get();
            // Only Undertow's own listener is replaced: a connection closing meanwhile has swapped in XNIO's marker.
            if (undertows == http.getCloseSetter() && closeListener.compareAndSet(undertows, listener))
            {
                ChannelListeners.invokeChannelListener(connection, undertows);
                return true;
            }
        }
        connection.setCloseListener(listener);
        return false;
    }

    private static VarHandle closeListenerField()
    {
        try
        {
            return MethodHandles.privateLookupIn(StreamConnection.class, MethodHandles.lookup())
                .findVarHandle(StreamConnection.class, "closeListener", AtomicReference.class);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            LOG.info("XNIO's StreamConnection has no closeListener field (" + ex + "): Undertow's HTTP state stays " +
                "reachable for as long as each WebSocket is open (about 1 KiB a connection)");
            return null;
        }
    }
}
