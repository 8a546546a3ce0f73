package io.ringcast.engine.fanout;

import io.ringcast.transport.Subscriber;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who receives what: the topic and group tables and, per client, the channels it is in (so that a close removes it
 * everywhere). Owned by the fan-out thread; nothing here is shared or locked.
 */
final class Subscriptions
{
    private final ChannelTable topics = new ChannelTable(false);
    private final ChannelTable groups = new ChannelTable(true);
    private final Map<Subscriber, List<Channel>> bySession = new HashMap<>();

    /** Hot path: the channel a message's target names, or null when nobody is subscribed to it. */
    Channel channel(final boolean group, final byte[] name, final int length)
    {
        return (group ? groups : topics).get(name, length);
    }

    /** The channel of that name, created when missing. */
    Channel getOrCreate(final boolean group, final String name)
    {
        return (group ? groups : topics).getOrCreate(name);
    }

    /** @return true when the session was not in the channel before. */
    boolean add(final Subscriber session, final Channel channel)
    {
        if (channel.contains(session))
        {
            return false;
        }
        channel.add(session);
        bySession.computeIfAbsent(session, s -> new ArrayList<>(4)).add(channel);
        return true;
    }

    /** Remove the session from the named channel, if it is in it; an emptied channel is dropped. */
    void remove(final Subscriber session, final boolean group, final String name)
    {
        final Channel channel = (group ? groups : topics).get(name);
        if (channel != null && channel.remove(session))
        {
            final List<Channel> channels = bySession.get(session);
            if (channels != null)
            {
                channels.remove(channel);
            }
            dropIfEmpty(channel);
        }
    }

    /** The session's connection is gone: out of every channel. */
    void removeEverywhere(final Subscriber session)
    {
        final List<Channel> channels = bySession.remove(session);
        if (channels != null)
        {
            for (final Channel channel : channels)
            {
                channel.remove(session);
                dropIfEmpty(channel);
            }
        }
    }

    /** Adds the names of the session's topics and groups to the two lists. */
    void namesOf(final Subscriber session, final List<String> topicNames, final List<String> groupNames)
    {
        final List<Channel> channels = bySession.get(session);
        if (channels != null)
        {
            for (final Channel channel : channels)
            {
                (channel.group ? groupNames : topicNames).add(channel.nameString);
            }
        }
    }

    /** Channels in use (topics, groups). */
    int channelCount(final boolean group)
    {
        return (group ? groups : topics).size();
    }

    private void dropIfEmpty(final Channel channel)
    {
        if (channel.count == 0)
        {
            (channel.group ? groups : topics).remove(channel);
        }
    }
}
