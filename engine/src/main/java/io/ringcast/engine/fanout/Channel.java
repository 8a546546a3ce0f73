package io.ringcast.engine.fanout;

import io.ringcast.transport.websocket.ClientSession;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A topic or a group and the sessions that receive it. Owned by the fan-out thread. The subscriber array is
 * replaced, never changed in place, so a loop over it is never disturbed by a removal made during the loop.
 */
final class Channel
{
    private static final ClientSession[] NONE = new ClientSession[0];

    final byte[] name;
    final int hash;
    final boolean group;
    final String nameString;
    /** Subscribers are {@code subscribers[0, count)}; the array may have spare room at the end. */
    ClientSession[] subscribers = NONE;
    int count;

    Channel(final byte[] name, final int hash, final boolean group)
    {
        this.name = name;
        this.group = group;
        this.hash = hash;
        this.nameString = new String(name, StandardCharsets.US_ASCII);
    }

    /**
     * Appends in place (the array grows by doubling): a loop that took {@code subscribers} and {@code count} before
     * still sees exactly what it took. Callers check {@link #contains} first.
     */
    void add(final ClientSession session)
    {
        if (count == subscribers.length)
        {
            subscribers = Arrays.copyOf(subscribers, Math.max(4, count * 2));
        }
        subscribers[count++] = session;
    }

    /** Copy on write: a loop over the old array (the fan-out delivering a message) is not disturbed. */
    boolean remove(final ClientSession session)
    {
        final ClientSession[] current = subscribers;
        for (int i = 0; i < count; i++)
        {
            if (current[i] == session)
            {
                final ClientSession[] copy = new ClientSession[Math.max(4, current.length)];
                System.arraycopy(current, 0, copy, 0, i);
                System.arraycopy(current, i + 1, copy, i, count - i - 1);
                count--;
                subscribers = count == 0 ? NONE : copy;
                return true;
            }
        }
        return false;
    }

    boolean contains(final ClientSession session)
    {
        final ClientSession[] current = subscribers;
        for (int i = 0; i < count; i++)
        {
            if (current[i] == session)
            {
                return true;
            }
        }
        return false;
    }
}
