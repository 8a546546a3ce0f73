package io.ringcast.transport.websocket;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

/**
 * Ack mode for one client: remembers every message frame written to the socket until the client acknowledges it
 * (cumulative ack), and hands back those whose {@code --ack-timeout} expired, up to three redeliveries each.
 * <p>
 * Every message has the same timeout, so deadlines expire in the order frames were written: one FIFO of records
 * (id, deadline, attempt, frame body) gives each message its own timer at O(1) cost per message, with acks
 * applied lazily when a record reaches the head. Only clients in ack mode have one. Owned by the client's I/O
 * thread; the clock is passed in, so tests drive it by hand.
 */
public final class AckTracker
{
    /** A message's third redelivery timing out closes the connection. */
    public static final int MAX_REDELIVERIES = 3;

    /** What to do with an expired message. */
    public interface Handler
    {
        /** Send the message again: {@code body} is the original JSON text, valid only during the call. */
        void redeliver(long id, byte[] body, int length, int attempt);

        /** The message's last redelivery timed out too. */
        void ackTimedOut(long id);
    }

    private final long timeoutNs;
    private long[] ids = new long[64];
    private long[] deadlines = new long[64];
    private int[] attempts = new int[64];
    private int[] bodyLengths = new int[64];
    private int head;
    private int count;
    private byte[] bodies = new byte[16 * 1024];
    private long bodyHead;
    private long bodyTail;
    private long ackedUpTo;
    private byte[] scratch = new byte[1024];

    public AckTracker(final long timeoutNs)
    {
        this.timeoutNs = timeoutNs;
    }

    /** A message frame body (the JSON text) was written to the socket at {@code nowNs}. */
    public void onWritten(final long id, final DirectBuffer body, final int offset, final int length, final long nowNs)
    {
        if (id <= ackedUpTo)
        {
            return;
        }
        append(id, nowNs + timeoutNs, 0, length);
        copyIn(body, offset, length);
    }

    /** Cumulative ack: everything up to {@code id} is processed. */
    public void onAck(final long id)
    {
        if (id > ackedUpTo)
        {
            ackedUpTo = id;
        }
        while (count > 0 && ids[head] <= ackedUpTo)
        {
            drop();
        }
    }

    /**
     * Handle every record whose deadline has passed: acked ones are dropped, the others redelivered (and timed
     * again from {@code nowNs}) or, after the last redelivery, reported as timed out.
     *
     * @return the next deadline, or {@link Long#MAX_VALUE} when nothing waits for an ack.
     */
    public long poll(final long nowNs, final Handler handler)
    {
        while (count > 0 && deadlines[head] - nowNs <= 0)
        {
            final long id = ids[head];
            final int attempt = attempts[head];
            final int length = bodyLengths[head];
            if (id <= ackedUpTo)
            {
                drop();
                continue;
            }
            if (attempt >= MAX_REDELIVERIES)
            {
                handler.ackTimedOut(id);
                return Long.MAX_VALUE;
            }
            if (scratch.length < length)
            {
                scratch = new byte[BitUtil.findNextPositivePowerOfTwo(length)];
            }
            copyOut(scratch, length);
            drop();
            append(id, nowNs + timeoutNs, attempt + 1, length);
            copyInArray(scratch, length);
            handler.redeliver(id, scratch, length, attempt + 1);
        }
        return count > 0 ? deadlines[head] : Long.MAX_VALUE;
    }

    /** Messages written and not acknowledged yet. */
    public int pending()
    {
        return count;
    }

    public long ackedUpTo()
    {
        return ackedUpTo;
    }

    private void append(final long id, final long deadlineNs, final int attempt, final int length)
    {
        if (count == ids.length)
        {
            growRecords();
        }
        final int index = (head + count) & (ids.length - 1);
        ids[index] = id;
        deadlines[index] = deadlineNs;
        attempts[index] = attempt;
        bodyLengths[index] = length;
        count++;
        if (bodies.length - (bodyTail - bodyHead) < length)
        {
            growBodies(length);
        }
    }

    private void drop()
    {
        bodyHead += bodyLengths[head];
        head = (head + 1) & (ids.length - 1);
        count--;
    }

    private void copyIn(final DirectBuffer body, final int offset, final int length)
    {
        final int mask = bodies.length - 1;
        for (int i = 0; i < length; i++)
        {
            bodies[(int)((bodyTail + i) & mask)] = body.getByte(offset + i);
        }
        bodyTail += length;
    }

    private void copyInArray(final byte[] body, final int length)
    {
        final int mask = bodies.length - 1;
        for (int i = 0; i < length; i++)
        {
            bodies[(int)((bodyTail + i) & mask)] = body[i];
        }
        bodyTail += length;
    }

    private void copyOut(final byte[] dst, final int length)
    {
        final int mask = bodies.length - 1;
        for (int i = 0; i < length; i++)
        {
            dst[i] = bodies[(int)((bodyHead + i) & mask)];
        }
    }

    private void growRecords()
    {
        final int size = ids.length * 2;
        final long[] newIds = new long[size];
        final long[] newDeadlines = new long[size];
        final int[] newAttempts = new int[size];
        final int[] newLengths = new int[size];
        for (int i = 0; i < count; i++)
        {
            final int index = (head + i) & (ids.length - 1);
            newIds[i] = ids[index];
            newDeadlines[i] = deadlines[index];
            newAttempts[i] = attempts[index];
            newLengths[i] = bodyLengths[index];
        }
        ids = newIds;
        deadlines = newDeadlines;
        attempts = newAttempts;
        bodyLengths = newLengths;
        head = 0;
    }

    private void growBodies(final int extra)
    {
        final int used = (int)(bodyTail - bodyHead);
        final byte[] bigger = new byte[BitUtil.findNextPositivePowerOfTwo(used + extra) * 2];
        final int mask = bodies.length - 1;
        for (int i = 0; i < used; i++)
        {
            bigger[i] = bodies[(int)((bodyHead + i) & mask)];
        }
        bodies = bigger;
        bodyTail = used;
        bodyHead = 0;
    }
}
