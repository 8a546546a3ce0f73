package io.ringcast.transport.websocket;

import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Which callbacks a client's connection asks XNIO for, changed only when it must (each change costs a selector
 * update). Owned by the connection's I/O thread.
 */
final class ChannelInterest
{
    private final ConduitStreamSourceChannel source;
    private final ConduitStreamSinkChannel sink;
    private boolean writesResumed;
    private boolean readsSuspended;

    ChannelInterest(final ConduitStreamSourceChannel source, final ConduitStreamSinkChannel sink)
    {
        this.source = source;
        this.sink = sink;
    }

    /** Ask for a writable callback. */
    void resumeWrites()
    {
        if (!writesResumed)
        {
            writesResumed = true;
            sink.resumeWrites();
        }
    }

    void suspendWrites()
    {
        if (writesResumed)
        {
            writesResumed = false;
            sink.suspendWrites();
        }
    }

    /** Read again; with {@code pendingInput}, call back at once to decode bytes already read. */
    void resumeReads(final boolean pendingInput)
    {
        readsSuspended = false;
        if (pendingInput)
        {
            source.wakeupReads();
        }
        else
        {
            source.resumeReads();
        }
    }

    /** Stop reading the client (back-pressure): TCP then slows it down. */
    void suspendReads()
    {
        if (!readsSuspended)
        {
            readsSuspended = true;
            source.suspendReads();
        }
    }

    boolean readsSuspended()
    {
        return readsSuspended;
    }
}
