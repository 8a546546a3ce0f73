package io.ringcast.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest
{
    private static final int N = 50;

    @TempDir
    Path tempDir;

    @Test
    void shouldStartEmptyWithAnEpoch()
    {
        final Path dir = tempDir.resolve("journal");
        try (Journal journal = Journal.open(dir, RollCycles.FAST_HOURLY))
        {
            assertEquals(0, journal.lastIdAtOpen());
            assertFalse(journal.epoch().isBlank());
            assertTrue(Files.exists(dir.resolve(Journal.EPOCH_FILE)));
        }
    }

    @Test
    void shouldReportLastIdAndKeepEpochAcrossReopen()
    {
        final Path dir = tempDir.resolve("journal");
        final String epoch;
        try (Journal journal = Journal.open(dir, RollCycles.FAST_HOURLY))
        {
            epoch = journal.epoch();
            appendRange(journal, 1, N);
        }

        try (Journal reopened = Journal.open(dir, RollCycles.FAST_HOURLY))
        {
            assertEquals(N, reopened.lastIdAtOpen());
            assertEquals(epoch, reopened.epoch());
            appendRange(reopened, N + 1, N + 1);
        }

        try (Journal again = Journal.open(dir, RollCycles.FAST_HOURLY))
        {
            assertEquals(N + 1, again.lastIdAtOpen());
            assertEquals(epoch, again.epoch());
        }
    }

    @Test
    void shouldGiveNewDirectoryDifferentEpoch()
    {
        try (Journal first = Journal.open(tempDir.resolve("a"), RollCycles.FAST_HOURLY);
            Journal second = Journal.open(tempDir.resolve("b"), RollCycles.FAST_HOURLY))
        {
            assertNotEquals(first.epoch(), second.epoch());
        }
    }

    @Test
    void shouldReadEveryEntryAfterSeekInIdOrderWithExactContents()
    {
        try (Journal journal = Journal.open(tempDir.resolve("journal"), RollCycles.FAST_HOURLY))
        {
            appendRange(journal, 1, N);

            for (final long k : new long[] {1, 17, N - 1})
            {
                try (JournalReader reader = journal.newReader())
                {
                    reader.seekAfter(k);
                    final JournalEntry entry = new JournalEntry();
                    for (long id = k + 1; id <= N; id++)
                    {
                        assertTrue(reader.read(entry), "entry " + id + " after seek to " + k);
                        assertEntry(id, entry);
                    }
                    assertFalse(reader.read(entry));
                }
            }
        }
    }

    @Test
    void shouldReadFromIdOneAfterSeekToZero()
    {
        try (Journal journal = Journal.open(tempDir.resolve("journal"), RollCycles.FAST_HOURLY))
        {
            appendRange(journal, 1, N);

            try (JournalReader reader = journal.newReader())
            {
                reader.seekAfter(0);
                final JournalEntry entry = new JournalEntry();
                for (long id = 1; id <= N; id++)
                {
                    assertTrue(reader.read(entry));
                    assertEntry(id, entry);
                }
                assertFalse(reader.read(entry));
            }
        }
    }

    @Test
    void shouldReadNothingAfterSeekToHeadThenReadTheNextAppend()
    {
        try (Journal journal = Journal.open(tempDir.resolve("journal"), RollCycles.FAST_HOURLY);
            JournalReader reader = journal.newReader())
        {
            appendRange(journal, 1, N);
            final JournalEntry entry = new JournalEntry();

            reader.seekAfter(N);
            assertFalse(reader.read(entry));
            assertFalse(reader.read(entry), "still nothing on a second try");

            appendRange(journal, N + 1, N + 1);
            assertTrue(reader.read(entry));
            assertEntry(N + 1, entry);
            assertFalse(reader.read(entry));
        }
    }

    @Test
    void shouldReadFirstAppendAfterSeekOnEmptyJournal()
    {
        try (Journal journal = Journal.open(tempDir.resolve("journal"), RollCycles.FAST_HOURLY);
            JournalReader reader = journal.newReader())
        {
            final JournalEntry entry = new JournalEntry();
            reader.seekAfter(0);
            assertFalse(reader.read(entry));

            appendRange(journal, 1, 2);
            assertTrue(reader.read(entry));
            assertEntry(1, entry);
            assertTrue(reader.read(entry));
            assertEntry(2, entry);
        }
    }

    @Test
    void shouldSeekInJournalReopenedFromDisk()
    {
        final Path dir = tempDir.resolve("journal");
        try (Journal journal = Journal.open(dir, RollCycles.FAST_HOURLY))
        {
            appendRange(journal, 1, N);
        }

        try (Journal reopened = Journal.open(dir, RollCycles.FAST_HOURLY);
            JournalReader reader = reopened.newReader())
        {
            appendRange(reopened, N + 1, N + 5);
            reader.seekAfter(N - 2);
            final JournalEntry entry = new JournalEntry();
            for (long id = N - 1; id <= N + 5; id++)
            {
                assertTrue(reader.read(entry));
                assertEntry(id, entry);
            }
            assertFalse(reader.read(entry));
        }
    }

    @Test
    void shouldKeepLargeAndEmptyPayloadsAndLongestTarget()
    {
        final byte[] large = new byte[100_000];
        for (int i = 0; i < large.length; i++)
        {
            large[i] = (byte)(i * 13);
        }
        final byte[] target = "t".repeat(255).getBytes(StandardCharsets.US_ASCII);

        try (Journal journal = Journal.open(tempDir.resolve("journal"), RollCycles.FAST_HOURLY);
            JournalReader reader = journal.newReader())
        {
            journal.append(1, JournalDescriptor.FLAG_JSON, target, target.length, new byte[0], 0);
            journal.append(2, (byte)0, target, 1, large, large.length);
            journal.append(3, JournalDescriptor.FLAG_GROUP, target, 2, large, 10);

            final JournalEntry entry = new JournalEntry();
            reader.seekAfter(0);

            assertTrue(reader.read(entry));
            assertEquals(1, entry.id());
            assertEquals("t".repeat(255), entry.targetAsString());
            assertEquals(0, entry.payloadLength());
            assertTrue(entry.isJson());

            assertTrue(reader.read(entry));
            assertEquals(2, entry.id());
            assertEquals("t", entry.targetAsString());
            assertArrayEquals(large, entry.payloadBytes());
            assertFalse(entry.isJson());
            assertFalse(entry.isGroup());

            assertTrue(reader.read(entry));
            assertEquals(3, entry.id());
            assertEquals("tt", entry.targetAsString());
            assertTrue(entry.isGroup());
            assertArrayEquals(Arrays.copyOf(large, 10), entry.payloadBytes());
        }
    }

    @Test
    void shouldSeekAcrossRollCycles()
    {
        // Ids 1..10 three hours ago, 11..20 two hours ago (written with a clock set by hand), then 21..30 now.
        final Path dir = tempDir.resolve("journal");
        final long now = System.currentTimeMillis();
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(now - 3 * 3_600_000L));
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.toFile())
            .rollCycle(RollCycles.FAST_HOURLY)
            .timeProvider(clock)
            .build();
            ExcerptAppender appender = queue.createAppender())
        {
            for (long id = 1; id <= 20; id++)
            {
                if (id == 11)
                {
                    clock.advanceMillis(3_600_000L);
                }
                writeRawEntry(appender, id);
            }
        }

        try (Journal journal = Journal.open(dir, RollCycles.FAST_HOURLY))
        {
            assertEquals(20, journal.lastIdAtOpen());
            appendRange(journal, 21, 30);
            assertTrue(journal.queue().lastCycle() - journal.queue().firstCycle() >= 3, "three roll cycles");

            final JournalEntry entry = new JournalEntry();
            for (long k = 0; k <= 30; k++)
            {
                try (JournalReader reader = journal.newReader())
                {
                    reader.seekAfter(k);
                    for (long id = k + 1; id <= 30; id++)
                    {
                        assertTrue(reader.read(entry), "entry " + id + " after seek to " + k);
                        assertEntry(id, entry);
                    }
                    assertFalse(reader.read(entry), "nothing after 30, seek to " + k);
                }
            }
        }
    }

    private static void writeRawEntry(final ExcerptAppender appender, final long id)
    {
        final byte[] target = targetOf(id).getBytes(StandardCharsets.US_ASCII);
        final byte[] payload = payloadOf(id);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(id);
            bytes.writeByte(flagsOf(id));
            bytes.writeShort((short)target.length);
            bytes.write(target);
            bytes.writeInt(payload.length);
            bytes.write(payload);
        }
    }

    @Test
    void shouldCachePagesAheadOfTheAppenderWithoutChangingWhatIsRead() throws Exception
    {
        try (Journal journal = Journal.open(tempDir.resolve("journal"), RollCycles.FAST_HOURLY))
        {
            appendRange(journal, 1, 1);
            final long file = Files.size(journal.appendFile().toPath());
            final long expectedAhead = Math.min(JournalPrefetcher.AHEAD_BYTES, file - journal.appendPosition()) -
                4096;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (journal.prefetchedBytesAhead() < expectedAhead)
            {
                assertTrue(System.nanoTime() < deadline, "prefetched " + journal.prefetchedBytesAhead() +
                    " bytes ahead, expected " + expectedAhead + " (file " + file + ")");
                Thread.onSpinWait();
            }

            // Past the prefetched stretch and on: the appender overtakes it, it follows, the entries are intact.
            final long last = 200_000;
            appendRange(journal, 2, last);
            try (JournalReader reader = journal.newReader())
            {
                reader.seekAfter(0);
                final JournalEntry entry = new JournalEntry();
                for (long id = 1; id <= last; id++)
                {
                    assertTrue(reader.read(entry), "entry " + id);
                    assertEntry(id, entry);
                }
                assertFalse(reader.read(entry));
            }
        }
    }

    private static void appendRange(final Journal journal, final long firstId, final long lastId)
    {
        for (long id = firstId; id <= lastId; id++)
        {
            final byte[] target = targetOf(id).getBytes(StandardCharsets.US_ASCII);
            final byte[] payload = payloadOf(id);
            // Arrays longer than the lengths given, to check only the given bytes are stored.
            journal.append(
                id,
                flagsOf(id),
                Arrays.copyOf(target, target.length + 4),
                target.length,
                Arrays.copyOf(payload, payload.length + 4),
                payload.length);
        }
    }

    private static void assertEntry(final long id, final JournalEntry entry)
    {
        assertEquals(id, entry.id());
        assertEquals(flagsOf(id), entry.flags());
        assertEquals(targetOf(id), entry.targetAsString());
        assertEquals(targetOf(id).length(), entry.targetLength());
        assertArrayEquals(payloadOf(id), entry.payloadBytes(), "payload of " + id);
        assertEquals((flagsOf(id) & JournalDescriptor.FLAG_JSON) != 0, entry.isJson());
        assertEquals((flagsOf(id) & JournalDescriptor.FLAG_GROUP) != 0, entry.isGroup());
    }

    private static byte flagsOf(final long id)
    {
        return (byte)(id % 4);
    }

    private static String targetOf(final long id)
    {
        return (id % 2 == 0 ? "group." : "topic/") + id;
    }

    private static byte[] payloadOf(final long id)
    {
        return ("{\"n\":" + id + ",\"pad\":\"" + "x".repeat((int)(id * 37 % 2000)) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    }
}
