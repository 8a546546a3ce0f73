package io.ringcast.engine.fanout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Open-addressing hash table from a name's bytes to its {@link Channel}: a lookup by the bytes of a message's
 * target, without building a String or allocating. Owned by the fan-out thread. A channel is removed when its last
 * subscriber leaves, so memory follows the names in use, not every name ever seen.
 */
final class ChannelTable
{
    private final boolean group;
    private Channel[] slots = new Channel[1024];
    private int size;

    /** @param group whether this table holds groups (else topics). */
    ChannelTable(final boolean group)
    {
        this.group = group;
    }

    /** @return the channel, or null if nobody ever subscribed to that name. */
    Channel get(final byte[] name, final int length)
    {
        final int hash = hash(name, length);
        final Channel[] table = slots;
        final int mask = table.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            final Channel channel = table[i];
            if (channel == null)
            {
                return null;
            }
            if (channel.hash == hash && channel.name.length == length &&
                Arrays.equals(channel.name, 0, length, name, 0, length))
            {
                return channel;
            }
        }
    }

    Channel getOrCreate(final String nameString)
    {
        final byte[] name = nameString.getBytes(StandardCharsets.US_ASCII);
        final Channel existing = get(name, name.length);
        if (existing != null)
        {
            return existing;
        }
        if ((size + 1) * 2 > slots.length)
        {
            rehash();
        }
        final Channel channel = new Channel(name, hash(name, name.length), group);
        insert(slots, channel);
        size++;
        return channel;
    }

    Channel get(final String nameString)
    {
        final byte[] name = nameString.getBytes(StandardCharsets.US_ASCII);
        return get(name, name.length);
    }

    /** Remove a channel (linear probing with backward-shift deletion: no tombstones). */
    void remove(final Channel channel)
    {
        final Channel[] table = slots;
        final int mask = table.length - 1;
        int i = channel.hash & mask;
        while (table[i] != channel)
        {
            if (table[i] == null)
            {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = null;
        size--;
        int j = i;
        while (true)
        {
            j = (j + 1) & mask;
            final Channel next = table[j];
            if (next == null)
            {
                return;
            }
            final int home = next.hash & mask;
            // Move it back to the hole unless its home slot lies cyclically in (hole, j].
            final boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeBetween)
            {
                table[i] = next;
                table[j] = null;
                i = j;
            }
        }
    }

    int size()
    {
        return size;
    }

    private void rehash()
    {
        final Channel[] bigger = new Channel[slots.length * 2];
        for (final Channel channel : slots)
        {
            if (channel != null)
            {
                insert(bigger, channel);
            }
        }
        slots = bigger;
    }

    private static void insert(final Channel[] table, final Channel channel)
    {
        final int mask = table.length - 1;
        int i = channel.hash & mask;
        while (table[i] != null)
        {
            i = (i + 1) & mask;
        }
        table[i] = channel;
    }

    static int hash(final byte[] name, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ name[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
