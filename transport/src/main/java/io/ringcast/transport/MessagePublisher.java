package io.ringcast.transport;


/**
 * The way into the node's pipeline, implemented by the engine. Safe to call from many threads (ingest, HTTP and
 * WebSocket I/O threads); each call copies what it needs before returning and never blocks.
 * <p>
 * Back-pressure is the return value: {@code false} means the pipeline is full and nothing was taken. The caller keeps
 * what it tried to hand over, stops reading the connection it came from, and tries again later (on its own thread);
 * it never spins or sleeps on the pipeline.
 */
public interface MessagePublisher
{
    /**
     * Put a message (or a refusal that must be answered in order) into the pipeline. Once taken, the replier gets
     * exactly one reply for it.
     *
     * @return false when the pipeline is full: not taken, try again later.
     */
    boolean publish(InboundMessage message);

    /**
     * Hand a client's request to the fan-out, in the order received.
     *
     * @return false when the pipeline is full: not taken, try again later (before any later request of this client).
     */
    boolean request(Subscriber session, ClientRequest request);

    /**
     * The client is gone: drop it from every subscription.
     *
     * @return false when the pipeline is full: not taken, try again later (it must be delivered once).
     */
    boolean closed(Subscriber session);
}
