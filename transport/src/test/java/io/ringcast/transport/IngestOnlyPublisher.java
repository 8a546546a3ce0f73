package io.ringcast.transport;

/** A test publisher for the ingest port alone: WebSocket clients' requests and closes never reach it. */
public abstract class IngestOnlyPublisher implements MessagePublisher
{
    @Override
    public void request(final Subscriber session, final ClientRequest request)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void closed(final Subscriber session)
    {
        throw new UnsupportedOperationException();
    }
}
