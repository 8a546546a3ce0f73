package io.ringcast.transport;

/** A test publisher for the ingest port alone: WebSocket clients' requests and closes never reach it. */
public abstract class IngestOnlyPublisher implements MessagePublisher
{
    @Override
    public boolean request(final Subscriber session, final ClientRequest request)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean closed(final Subscriber session)
    {
        throw new UnsupportedOperationException();
    }
}
