package io.ringcast.transport;


/**
 * The way into the node's pipeline, implemented by the engine. Safe to call from many threads (ingest, HTTP and
 * WebSocket I/O threads); each call copies what it needs before returning.
 */
public interface MessagePublisher
{
    /**
     * Put a message (or a refusal that must be answered in order) into the pipeline. Blocks while the pipeline is
     * full. The replier later gets exactly one reply for it.
     */
    void publish(InboundMessage message);

    /** Hand a client's request to the fan-out, in the order received. */
    void request(Subscriber session, ClientRequest request);

    /** The client is gone: drop it from every subscription. */
    void closed(Subscriber session);
}
