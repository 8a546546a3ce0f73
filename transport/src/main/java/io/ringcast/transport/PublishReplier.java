package io.ringcast.transport;

/**
 * Where the journal thread sends the outcome of a publish. Replies to one replier arrive in publish order.
 * Called only by the journal thread.
 */
public interface PublishReplier
{
    /**
     * Record the outcome of one publish (status 0 with its id, or a refusal with id 0).
     *
     * @return true when this is the first reply since the last {@link #commit()}: the caller must then call
     * {@link #commit()} once at the end of its batch.
     */
    boolean reply(int status, long id);

    /** Make the replies recorded so far visible to the publisher (once per batch, not per message). */
    void commit();

    /**
     * Whether a ring slot may keep this replier after its message is done: true for a steady publisher connection,
     * which publishes many messages. A slot that already holds the replier then needs no reference store for the next
     * one, and a reference store into a long-lived slot costs the garbage collector's write barrier and concurrent
     * refinement work (13-18 % of a core at 1M msg/s). A per-request replier returns false and is dropped. Read
     * by the fan-out thread.
     */
    default boolean retainable()
    {
        return false;
    }
}
