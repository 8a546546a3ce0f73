package io.ringcast.engine.fanout;

import io.ringcast.transport.Subscriber;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A topic or a group and the sessions that receive it. Owned by the fan-out thread, which never adds or removes
 * subscribers while it loops over them (a client that cannot keep up goes to catch-up; it is not removed).
 */
final class Channel
{
    private static final Subscriber[] NONE = new Subscriber[0];

    final byte[] name;
    final int hash;
    final boolean group;
    final String nameString;
    /** Subscribers are {@code subscribers[0, count)}; the array may have spare room at the end. */
    Subscriber[] subscribers = NONE;
    int count;

    Channel(final byte[] name, final int hash, final boolean group)
    {
        this.name = name;
        this.group = group;
        this.hash = hash;
        this.nameString = new String(name, StandardCharsets.US_ASCII);
    }

    /** Appends (the array grows by doubling). Callers check {@link #contains} first. */
    void add(final Subscriber session)
    {
        if (count == subscribers.length)
        {
            subscribers = Arrays.copyOf(subscribers, Math.max(4, count * 2));
        }
        subscribers[count++] = session;
    }

    /**
     * Removes in place, keeping the order of the others: no allocation, so 10,000 clients leaving at once cost
     * 10,000 array shifts, not 10,000 copies of the array (copy-on-write: 44 MB in JFR's allocation samples).
     */
    boolean remove(final Subscriber session)
    {
        final Subscriber[] current = subscribers;
        for (int i = 0; i < count; i++)
        {
            if (current[i] == session)
            {
                System.arraycopy(current, i + 1, current, i, count - i - 1);
                current[--count] = null;
                if (count == 0)
                {
                    subscribers = NONE;
                }
                return true;
            }
        }
        return false;
    }

    boolean contains(final Subscriber session)
    {
        final Subscriber[] current = subscribers;
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
