package io.ringcast.engine.replay;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Which journal entries one replaying client receives: its topics and groups, each from an id on. The fan-out
 * thread adds channels ({@link #addChannel}) while the replay thread matches ({@link #matches}); the arrays are
 * copied on write and published through volatile stores, so the replay thread never sees a name without its id.
 */
final class ReplayFilter
{
    // Written by the fan-out thread (copy on write), read by the replay thread.
    private volatile byte[][] topics;
    private volatile byte[][] groups;
    private volatile long[] topicMinIds;
    private volatile long[] groupMinIds;

    ReplayFilter(final List<String> topics, final List<String> groups)
    {
        this.topics = bytes(topics);
        this.groups = bytes(groups);
        this.topicMinIds = new long[topics.size()];
        this.groupMinIds = new long[groups.size()];
    }

    /** Fan-out thread: messages of {@code name} with ids above {@code afterId} match too. */
    void addChannel(final String name, final boolean group, final long afterId)
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        final byte[][] names = group ? groups : topics;
        final long[] minIds = group ? groupMinIds : topicMinIds;
        final byte[][] newNames = Arrays.copyOf(names, names.length + 1);
        final long[] newMinIds = Arrays.copyOf(minIds, minIds.length + 1);
        newNames[names.length] = nameBytes;
        newMinIds[minIds.length] = afterId;
        // Ids first, names last: the replay thread reads names then ids, and never sees a name without its id.
        if (group)
        {
            groupMinIds = newMinIds;
            groups = newNames;
        }
        else
        {
            topicMinIds = newMinIds;
            topics = newNames;
        }
    }

    /** Replay thread: is message {@code id}, for {@code target[offset, offset + length)}, one this client receives? */
    boolean matches(final long id, final boolean group, final DirectBuffer target, final int offset, final int length)
    {
        final byte[][] names = group ? groups : topics;
        final long[] minIds = group ? groupMinIds : topicMinIds;
        for (int i = 0; i < names.length; i++)
        {
            final byte[] candidate = names[i];
            if (candidate.length == length && id > minIds[i] && sameBytes(candidate, target, offset))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean sameBytes(final byte[] name, final DirectBuffer target, final int offset)
    {
        for (int i = 0; i < name.length; i++)
        {
            if (name[i] != target.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static byte[][] bytes(final List<String> names)
    {
        final byte[][] result = new byte[names.size()][];
        for (int i = 0; i < names.size(); i++)
        {
            result[i] = names.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        return result;
    }
}
