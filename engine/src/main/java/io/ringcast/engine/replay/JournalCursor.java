package io.ringcast.engine.replay;

import io.ringcast.journal.JournalEntry;
import io.ringcast.journal.JournalReader;

/**
 * One replay job's position in the journal: a reader and the entry it last read. Reads only when the wanted id is
 * not already held, and seeks only when the reader is not at it (other clients' reads filled the frame cache for the
 * ids in between). Owned by the replay thread.
 */
final class JournalCursor
{
    private final JournalEntry entry = new JournalEntry();
    private JournalReader reader;
    /** The id held in {@link #entry} (0: none), and the id the reader returns next. */
    private long entryId;
    private long readerNextId;
    private int reads;

    /** Take ownership of {@code reader} and place it after {@code fromId}; on failure the reader is closed. */
    void open(final JournalReader reader, final long fromId)
    {
        try
        {
            reader.seekAfter(fromId);
        }
        catch (final RuntimeException ex)
        {
            reader.close();
            throw ex;
        }
        this.reader = reader;
        this.readerNextId = fromId + 1;
    }

    boolean isOpen()
    {
        return reader != null;
    }

    /**
     * Have message {@code id} (or, past a retention gap, the first one after it) in {@link #entry()}.
     *
     * @return false when the journal does not hold it yet.
     */
    boolean read(final long id)
    {
        if (entryId == id)
        {
            return true;
        }
        if (readerNextId != id)
        {
            reader.seekAfter(id - 1);
            readerNextId = id;
        }
        if (!reader.read(entry))
        {
            entryId = 0;
            return false;
        }
        entryId = entry.id();
        readerNextId = entryId + 1;
        reads++;
        return true;
    }

    JournalEntry entry()
    {
        return entry;
    }

    /** Journal reads since the last call. */
    int takeReads()
    {
        final int result = reads;
        reads = 0;
        return result;
    }

    void close()
    {
        if (reader != null)
        {
            reader.close();
            reader = null;
        }
    }
}
