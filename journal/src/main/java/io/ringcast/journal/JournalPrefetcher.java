package io.ringcast.journal;

import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

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
 */
final class JournalPrefetcher implements Runnable
{
    static final long AHEAD_BYTES = 16L << 20;
    private static final long STEP_BYTES = 1L << 20;
    private static final int PAGE_BYTES = 4096;
    private static final long IDLE_PARK_NS = 5_000_000;
    private static final Logger LOG = Logger.getLogger(JournalPrefetcher.class.getName());

    private final Journal journal;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long prefetchedUpTo;
    private File file;
    private FileChannel channel;
    /** Keeps the page reads from being optimised away. */
    private int sink;

    JournalPrefetcher(final Journal journal)
    {
        this.journal = journal;
        this.thread = new Thread(this, "ringcast-prefetch");
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** Stop and wait for the thread; called before the journal closes. */
    void stop()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** File position up to which pages have been read (for tests and metrics). */
    long prefetchedUpTo()
    {
        return prefetchedUpTo;
    }

    @Override
    public void run()
    {
        try
        {
            while (running)
            {
                if (!prefetchStep())
                {
                    LockSupport.parkNanos(IDLE_PARK_NS);
                }
            }
        }
        finally
        {
            closeChannel();
        }
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
            LOG.log(Level.FINE, "journal prefetch of " + current + " failed; retrying", ex);
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
