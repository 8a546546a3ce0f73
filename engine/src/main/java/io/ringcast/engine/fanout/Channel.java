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
    ClientSession[] subscribers = NONE;

    Channel(final byte[] name, final int hash, final boolean group)
    {
        this.name = name;
        this.group = group;
        this.hash = hash;
        this.nameString = new String(name, StandardCharsets.US_ASCII);
    }

    boolean add(final ClientSession session)
    {
        for (final ClientSession s : subscribers)
        {
            if (s == session)
            {
                return false;
            }
        }
        final ClientSession[] copy = Arrays.copyOf(subscribers, subscribers.length + 1);
        copy[subscribers.length] = session;
        subscribers = copy;
        return true;
    }

    boolean remove(final ClientSession session)
    {
        final ClientSession[] current = subscribers;
        for (int i = 0; i < current.length; i++)
        {
            if (current[i] == session)
            {
                final ClientSession[] copy = new ClientSession[current.length - 1];
                System.arraycopy(current, 0, copy, 0, i);
                System.arraycopy(current, i + 1, copy, i, current.length - i - 1);
                subscribers = copy.length == 0 ? NONE : copy;
                return true;
            }
        }
        return false;
    }

    boolean contains(final ClientSession session)
    {
        for (final ClientSession s : subscribers)
        {
            if (s == session)
            {
                return true;
            }
        }
        return false;
    }
}
