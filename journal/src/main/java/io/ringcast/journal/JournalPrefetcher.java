package io.ringcast.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Brings the journal file's pages into the page cache ahead of the appender, on its own thread.
 * <p>
 * Why: a Chronicle cycle file is sparse, and the first write to each of its pages faults, and the kernel fills a
 * fresh page-cache page with zeros inside that fault. On the ingest benchmark that was 52 % of the journal
 * thread's time (48 % in the kernel's {@code memset}). Chronicle's open-source build has no pretoucher (its factory
 * returns an empty one). This thread reads one byte of every page up to {@link #AHEAD_BYTES} past the appender's
 * position through a read-only mapping of its own, so the zeroing happens here. The appender's write then only maps
 * a page that is already cached.
 * <p>
 * It never writes and never touches Chronicle's own mapping or objects: it sees the file and the write position
 * that {@link Journal#append} publishes. It reads no further than the file's current length, so it never extends
 * the file. When it falls behind, it skips to the appender's position.
 * <p>
 * An {@link Agent}: {@link Journal} runs it under an {@link org.agrona.concurrent.AgentRunner} that idles a few
 * milliseconds when there is nothing to read.
 */
final class JournalPrefetcher implements Agent
{
    static final long AHEAD_BYTES = 16L << 20;
    private static final long STEP_BYTES = 1L << 20;
    private static final int PAGE_BYTES = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(JournalPrefetcher.class);

    private final Journal journal;
    // Written by the prefetch thread, read by any (metrics).
    private volatile long prefetchedUpTo;
    // Prefetch thread.
    private File file;
    private FileChannel channel;
    /** Keeps the page reads from being optimised away. */
    private int sink;

    JournalPrefetcher(final Journal journal)
    {
        this.journal = journal;
    }

    @Override
    public String roleName()
    {
        return "ringcast-prefetch";
    }

    /** File position up to which pages have been read (for tests and metrics). */
    long prefetchedUpTo()
    {
        return prefetchedUpTo;
    }

    @Override
    public int doWork()
    {
        return prefetchStep() ? 1 : 0;
    }

    @Override
    public void onClose()
    {
        closeChannel();
    }

    /** @return true when it read a step and may have more to read. */
    private boolean prefetchStep()
    {
        final File current = journal.appendFile();
        final long writePosition = journal.appendPosition();
        if (current == null)
        {
            return false;
        }
        try
        {
            if (!current.equals(file))
            {
                closeChannel();
                channel = FileChannel.open(current.toPath(), StandardOpenOption.READ);
                file = current;
                prefetchedUpTo = 0;
            }
            long from = Math.max(prefetchedUpTo, writePosition & ~(PAGE_BYTES - 1L));
            final long until = Math.min(writePosition + AHEAD_BYTES, channel.size());
            if (from >= until)
            {
                return false;
            }
            final long length = Math.min(STEP_BYTES, until - from);
            final MappedByteBuffer pages = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
            try
            {
                int sum = 0;
                for (int offset = 0; offset < length; offset += PAGE_BYTES)
                {
                    sum += pages.get(offset);
                }
                sink += sum;
            }
            finally
            {
                IoUtil.unmap(pages);
            }
            from += length;
            prefetchedUpTo = from;
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            // The file rolled or went away under us: start again from the journal's current file next time.
            LOG.debug("journal prefetch of {} failed; retrying: {}", current, ex.toString());
            closeChannel();
            return false;
        }
    }

    private void closeChannel()
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // read-only: nothing to lose
            }
            channel = null;
            file = null;
        }
    }
}
