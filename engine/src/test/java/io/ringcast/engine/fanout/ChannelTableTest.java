package io.ringcast.engine.fanout;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ChannelTableTest
{
    private final ChannelTable table = new ChannelTable(false);

    @Test
    void shouldFindByBytesWhatWasCreatedByName()
    {
        final Channel channel = table.getOrCreate("prices");
        final byte[] name = "prices-and-more".getBytes(StandardCharsets.US_ASCII);

        assertSame(channel, table.get(name, 6));
        assertSame(channel, table.getOrCreate("prices"));
        assertNull(table.get("news"));
        assertEquals(1, table.size());
    }

    @Test
    void shouldKeepEveryOtherChannelReachableAfterDeletesInsideProbeChains()
    {
        // Many names in a 1,024-slot table: long probe chains, some wrapping around the end of the array.
        final List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            channels.add(table.getOrCreate("t" + i));
        }
        for (int i = 0; i < channels.size(); i += 3)
        {
            table.remove(channels.get(i));
        }

        for (int i = 0; i < channels.size(); i++)
        {
            if (i % 3 == 0)
            {
                assertNull(table.get("t" + i), "t" + i + " was removed");
            }
            else
            {
                assertSame(channels.get(i), table.get("t" + i), "t" + i + " must still be found");
            }
        }
        assertEquals(500 - 167, table.size());
    }

    @Test
    void shouldIgnoreRemovingAChannelThatIsNotInTheTable()
    {
        final Channel kept = table.getOrCreate("kept");
        final Channel removed = table.getOrCreate("removed");
        table.remove(removed);

        table.remove(removed);

        assertEquals(1, table.size());
        assertSame(kept, table.get("kept"));
    }

    @Test
    void shouldReuseTheSlotOfARemovedChannel()
    {
        final Channel first = table.getOrCreate("a");
        table.remove(first);

        final Channel again = table.getOrCreate("a");

        assertSame(again, table.get("a"));
        assertEquals(1, table.size());
    }
}
