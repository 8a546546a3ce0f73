package io.ringcast.transport;

import io.ringcast.transport.websocket.ClientRequest;
import io.ringcast.transport.websocket.ClientSession;

/** A test publisher for the ingest port alone: WebSocket clients' requests and closes never reach it. */
public abstract class IngestOnlyPublisher implements MessagePublisher
{
    @Override
    public void request(final ClientSession session, final ClientRequest request)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void closed(final ClientSession session)
    {
        throw new UnsupportedOperationException();
    }
}
