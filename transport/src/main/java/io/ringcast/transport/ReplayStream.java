package io.ringcast.transport;

import org.agrona.DirectBuffer;

/**
 * Frames a replay producer (the journal reader) writes for one client, sent at a fixed point of that client's live
 * stream (see {@link Subscriber#beginReplay()}). One producer thread calls {@link #offer} and {@link #complete};
 * the queries are safe from any thread.
 */
public interface ReplayStream
{
    /**
     * Queue one whole frame.
     *
     * @return false when the stream's buffer is full: try again once the client has read some.
     */
    boolean offer(DirectBuffer frame, int offset, int length);

    /** Most bytes the stream's buffer holds at once. */
    int capacity();

    /** Bytes queued and not yet written to the socket. */
    long queuedBytes();

    /**
     * Everything the producer was asked to send is queued. A producer that stops early (the client is closing) must
     * not call this: the client's stream then ends with this one, so nothing after it can follow a gap.
     */
    void complete();

    /** The client is gone or closing: the producer should stop. */
    boolean isCancelled();
}
