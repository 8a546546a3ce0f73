package io.ringcast.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The message journal: a Chronicle Queue in which every accepted message is stored with its dense id.
 * <p>
 * Threading: {@link #append} is called by exactly one thread (the journal handler). Readers are created with
 * {@link #newReader()} and each is owned by the thread that uses it.
 * <p>
 * The journal's epoch is created with the journal directory and kept in the file {@value #EPOCH_FILE} inside it.
 */
public final class Journal implements AutoCloseable
{
    public static final String EPOCH_FILE = "epoch";

    static
    {
        // Ringcast never phones home, whatever launched it.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    private final Path dir;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final String epoch;
    private final long lastIdAtOpen;
    private volatile long oldestId;
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final long PREFETCH_IDLE_MS = 5;

    private final JournalPrefetcher prefetcher;
    private final AgentRunner prefetchRunner;
    /** Errors on the prefetch thread's duty cycle (it keeps running). */
    private final AtomicLong prefetchErrors = new AtomicLong();
    /** The appender's cycle file and the file position after its last entry, for the prefetcher. */
    private volatile File appendFile;
    private final AtomicLong appendPosition = new AtomicLong();
    private int appendCycle = Integer.MIN_VALUE;

    private Journal(final Path dir, final SingleChronicleQueue queue, final String epoch)
    {
        this.dir = dir;
        this.queue = queue;
        this.epoch = epoch;
        this.lastIdAtOpen = readLastId(queue);
        final long first = readOldestId();
        this.oldestId = first == 0 ? lastIdAtOpen + 1 : first;
        this.appender = queue.createAppender();
        this.prefetcher = new JournalPrefetcher(this);
        this.prefetchRunner = new AgentRunner(
            new SleepingMillisIdleStrategy(PREFETCH_IDLE_MS), this::onPrefetchError, null, prefetcher);
        AgentRunner.startOnThread(prefetchRunner, runnable ->
        {
            final Thread thread = new Thread(runnable, prefetcher.roleName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Open (or create) the journal in {@code dir}.
     *
     * @param dir       directory of the Chronicle Queue; created when missing.
     * @param rollCycleName how often a new journal file is started: a name {@link #rollCycle(String)} knows.
     */
    public static Journal open(final Path dir, final String rollCycleName)
    {
        return open(dir, rollCycle(rollCycleName));
    }

    /**
     * A roll cycle by name: any of Chronicle's {@code RollCycles} (e.g. FAST_HOURLY, FAST_DAILY) or, for tests,
     * {@code TEST_SECONDLY}.
     *
     * @throws IllegalArgumentException for an unknown name.
     */
    public static RollCycle rollCycle(final String name)
    {
        try
        {
            return RollCycles.valueOf(name);
        }
        catch (final IllegalArgumentException ex)
        {
            try
            {
                return TestRollCycles.valueOf(name);
            }
            catch (final IllegalArgumentException ex2)
            {
                throw new IllegalArgumentException("unknown roll cycle " + name);
            }
        }
    }

    public static Journal open(final Path dir, final RollCycle rollCycle)
    {
        try
        {
            Files.createDirectories(dir);
            final String epoch = loadOrCreateEpoch(dir);
            final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.toFile())
                .rollCycle(rollCycle)
                .build();
            return new Journal(dir, queue, epoch);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open journal in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /** Opaque identity of this journal, fixed when it was created. */
    public String epoch()
    {
        return epoch;
    }

    /** The id of the newest entry when the journal was opened, 0 for an empty journal. */
    public long lastIdAtOpen()
    {
        return lastIdAtOpen;
    }

    /**
     * The oldest id still held: the first entry's id, or {@code head + 1} when retention removed everything
     * ({@code 1} for an empty journal). Moves on when retention deletes files.
     */
    public long oldestId()
    {
        return oldestId;
    }

    /**
     * Delete the journal files that lie wholly before {@code nowMs - retentionMs} (never the newest one), then
     * move {@link #oldestId()} on. Called by one housekeeping thread.
     *
     * @return the number of files deleted.
     */
    public int deleteExpired(final long nowMs, final long retentionMs, final long headId)
    {
        final RollCycle rollCycle = queue.rollCycle();
        final int first = queue.firstCycle();
        final int last = queue.lastCycle();
        if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE || first >= last)
        {
            return 0;
        }
        final long cycleLengthMs = rollCycle.lengthInMillis();
        final DateTimeFormatter format = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        int deleted = 0;
        for (final Long cycle : queue.listCyclesBetween(first, last - 1))
        {
            final long endMs = queue.epoch() + (cycle + 1) * cycleLengthMs;
            if (endMs > nowMs - retentionMs)
            {
                break;
            }
            final String name = format.format(Instant.ofEpochMilli(queue.epoch() + cycle * cycleLengthMs)) +
                SingleChronicleQueue.SUFFIX;
            final Path file = dir.resolve(name);
            try
            {
                if (Files.deleteIfExists(file))
                {
                    deleted++;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete expired journal file " + file, ex);
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
            final long oldest = readOldestId();
            oldestId = oldest == 0 ? headId + 1 : oldest;
        }
        return deleted;
    }

    public SingleChronicleQueue queue()
    {
        return queue;
    }

    /**
     * Append one message. Called only by the journal thread. When this returns, the entry is in the memory-mapped
     * journal file and survives the death of the process.
     */
    public void append(
        final long id,
        final byte flags,
        final byte[] target,
        final int targetLength,
        final byte[] payload,
        final int payloadLength)
    {
        final long end;
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(id);
            bytes.writeByte(flags);
            bytes.writeShort((short)targetLength);
            bytes.write(target, 0, targetLength);
            bytes.writeInt(payloadLength);
            bytes.write(payload, 0, payloadLength);
            end = bytes.writePosition();
        }
        final int cycle = appender.cycle();
        if (cycle != appendCycle)
        {
            appendCycle = cycle;
            appendFile = appender.currentFile();
        }
        appendPosition.setRelease(end);
    }

    /** The cycle file being appended to, or null before the first append. Any thread. */
    File appendFile()
    {
        return appendFile;
    }

    /** The file position just after the last entry appended. Any thread. */
    long appendPosition()
    {
        return appendPosition.getAcquire();
    }

    /** Errors caught on the prefetch thread's duty cycle since open (each logged; the prefetcher keeps running). */
    public long prefetchErrors()
    {
        return prefetchErrors.get();
    }

    private void onPrefetchError(final Throwable ex)
    {
        prefetchErrors.incrementAndGet();
        LOG.warn("journal prefetch failed, continuing: {}", ex.toString());
    }

    /** How far ahead of the appender the journal file's pages are cached (see {@link JournalPrefetcher}). */
    public long prefetchedBytesAhead()
    {
        return prefetcher.prefetchedUpTo() - appendPosition();
    }

    /** A new reader positioned at the start of the journal; owned by the calling thread. */
    public JournalReader newReader()
    {
        return new JournalReader(queue);
    }

    @Override
    public void close()
    {
        prefetchRunner.close();
        appender.close();
        queue.close();
    }

    /** First entry's id, or 0 when the journal holds none. */
    private long readOldestId()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (dc.isPresent())
                {
                    return dc.wire().bytes().readLong();
                }
            }
        }
        return 0;
    }

    private static long readLastId(final SingleChronicleQueue queue)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (dc.isPresent())
                {
                    return dc.wire().bytes().readLong();
                }
            }
        }
        return 0;
    }

    private static String loadOrCreateEpoch(final Path dir) throws IOException
    {
        final Path file = dir.resolve(EPOCH_FILE);
        if (Files.exists(file))
        {
            final String epoch = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!epoch.isEmpty())
            {
                return epoch;
            }
        }

        final byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        final StringBuilder sb = new StringBuilder(Long.toString(System.currentTimeMillis(), 36)).append('-');
        for (final byte b : random)
        {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        final String epoch = sb.toString();
        final Path tmp = dir.resolve(EPOCH_FILE + ".tmp");
        Files.writeString(tmp, epoch + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return epoch;
    }
}
