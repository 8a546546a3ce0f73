package io.ringcast.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

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

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final String epoch;
    private final long lastIdAtOpen;

    private Journal(final SingleChronicleQueue queue, final String epoch)
    {
        this.queue = queue;
        this.epoch = epoch;
        this.lastIdAtOpen = readLastId(queue);
        this.appender = queue.createAppender();
    }

    /**
     * Open (or create) the journal in {@code dir}.
     *
     * @param dir       directory of the Chronicle Queue; created when missing.
     * @param rollCycle how often a new journal file is started.
     */
    public static Journal open(final Path dir, final RollCycle rollCycle)
    {
        try
        {
            Files.createDirectories(dir);
            final String epoch = loadOrCreateEpoch(dir);
            final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.toFile())
                .rollCycle(rollCycle)
                .build();
            return new Journal(queue, epoch);
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
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(id);
            bytes.writeByte(flags);
            bytes.writeShort((short)targetLength);
            bytes.write(target, 0, targetLength);
            bytes.writeInt(payloadLength);
            bytes.write(payload, 0, payloadLength);
        }
    }

    /** A new reader positioned at the start of the journal; owned by the calling thread. */
    public JournalReader newReader()
    {
        return new JournalReader(queue);
    }

    @Override
    public void close()
    {
        appender.close();
        queue.close();
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
