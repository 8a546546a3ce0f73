package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;

/**
 * Receives what a WebSocket client asks for. Called on the client's I/O thread; must never block: a hand-over the
 * pipeline cannot take now is refused with {@code false} and offered again later, in order (see
 * {@link PendingDelivery}).
 */
public interface ClientListener
{
    /** The handshake is done; requests may follow. */
    void onOpened(Subscriber session);

    /** @return false when the pipeline is full: not taken, offered again later (before any later request). */
    boolean onRequest(Subscriber session, ClientRequest request);

    /** The connection is gone. @return false when not taken: offered again later, until taken once. */
    boolean onClosed(Subscriber session);
}
