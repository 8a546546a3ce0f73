package io.ringcast.engine.pipeline;

import io.ringcast.engine.replay.ReplayJob;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;

/**
 * One preallocated slot of the ring. Either a message from a publisher (accepted or refused, so that replies stay in
 * order) or a client command for the fan-out thread (so that commands are ordered against messages).
 * <p>
 * Filled by a producer through a translator, then read by the journal handler and after it the fan-out handler;
 * the payload array grows to the largest message seen up to {@link #RETAINED_PAYLOAD_BYTES}, beyond which a
 * one-off array is used and dropped after fan-out.
 */
public final class MessageEvent
{
    public static final int TYPE_MESSAGE = 0;
    public static final int TYPE_CLIENT_REQUEST = 1;
    public static final int TYPE_CLIENT_CLOSED = 2;
    public static final int TYPE_REJOIN = 3;
    /** The replay thread's job queue has room again: the fan-out offers the jobs it kept pending. */
    public static final int TYPE_REPLAY_JOBS_WANTED = 4;

    static final int RETAINED_PAYLOAD_BYTES = 64 * 1024;

    int type;
    int status;
    long id;
    byte flags;
    final byte[] target = new byte[256];
    int targetLength;
    byte[] payload = new byte[512];
    int payloadLength;
    PublishReplier replier;
    Subscriber session;
    ClientRequest request;
    ReplayJob job;

    public int type()
    {
        return type;
    }

    public int status()
    {
        return status;
    }

    public long id()
    {
        return id;
    }

    public byte flags()
    {
        return flags;
    }

    public byte[] target()
    {
        return target;
    }

    public int targetLength()
    {
        return targetLength;
    }

    public byte[] payload()
    {
        return payload;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    public Subscriber session()
    {
        return session;
    }

    public ClientRequest request()
    {
        return request;
    }

    public ReplayJob job()
    {
        return job;
    }

    /**
     * Called by the last handler: drop references so the slot does not keep garbage alive. A steady publisher
     * connection's replier is kept ({@link PublishReplier#retainable()}): the next message from it in this slot then
     * stores nothing. A connection that closes after its slots were released stays referenced until the ring laps
     * over them (one reference per slot at most).
     */
    public void release()
    {
        if (replier != null && !replier.retainable())
        {
            replier = null;
        }
        session = null;
        request = null;
        job = null;
        if (payload.length > RETAINED_PAYLOAD_BYTES)
        {
            payload = new byte[512];
        }
    }

    byte[] payloadForWrite(final int length)
    {
        if (payload.length < length)
        {
            payload = new byte[Math.max(length, Math.min(RETAINED_PAYLOAD_BYTES, payload.length * 2))];
        }
        return payload;
    }
}
