package io.ringcast.engine.replay;

import io.ringcast.journal.JournalEntry;
import io.ringcast.journal.JournalReader;
import io.ringcast.transport.websocket.ClientSession;
import io.ringcast.transport.websocket.FrameEncoder;
import io.ringcast.transport.websocket.ReplaySegment;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One client's replay: every journaled message with an id in {@code (fromId, toId]} on the given topics (or group),
 * in id order, into the client's {@link ReplaySegment}. Owned by the replay thread; the upper bound {@code toId} is
 * the fan-out's head when the client asked, so live delivery covers everything after it.
 */
public final class ReplayJob
{
    private static final int ENTRIES_PER_TURN = 1024;

    private final ClientSession session;
    private final ReplaySegment segment;
    private final byte[][] targets;
    private final boolean group;
    private final long fromId;
    private final long toId;
    private final JournalEntry entry = new JournalEntry();
    private JournalReader reader;
    private boolean entryPending;
    private long framesReplayed;

    public ReplayJob(
        final ClientSession session,
        final ReplaySegment segment,
        final List<String> targets,
        final boolean group,
        final long fromId,
        final long toId)
    {
        this.session = session;
        this.segment = segment;
        this.targets = new byte[targets.size()][];
        for (int i = 0; i < targets.size(); i++)
        {
            this.targets[i] = targets.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        this.group = group;
        this.fromId = fromId;
        this.toId = toId;
    }

    void open(final JournalReader reader)
    {
        this.reader = reader;
        reader.seekAfter(fromId);
    }

    /**
     * Replay up to a bounded number of entries, stopping early when the client's segment is full.
     *
     * @return the number of frames replayed this turn; {@link #isDone()} says whether the job is finished.
     */
    int doWork(final FrameEncoder encoder)
    {
        if (segment.isCancelled())
        {
            finish();
            return 0;
        }
        int frames = 0;
        for (int i = 0; i < ENTRIES_PER_TURN; i++)
        {
            if (!entryPending)
            {
                if (!reader.read(entry))
                {
                    break;
                }
                entryPending = true;
            }
            final long id = entry.id();
            if (id > toId)
            {
                finish();
                break;
            }
            if (matches())
            {
                final int length = encoder.encodeMessage(id, group, entry.target().byteArray(), entry.targetLength(),
                    entry.isJson(), entry.payload().byteArray(), entry.payloadLength(), false);
                if (!segment.offer(encoder.buffer(), encoder.frameOffset(), length))
                {
                    break;
                }
                frames++;
            }
            entryPending = false;
            if (id == toId)
            {
                finish();
                break;
            }
        }
        if (frames > 0 || reader == null)
        {
            session.requestFlush();
        }
        framesReplayed += frames;
        return frames;
    }

    boolean isDone()
    {
        return reader == null;
    }

    long framesReplayed()
    {
        return framesReplayed;
    }

    private boolean matches()
    {
        if (entry.isGroup() != group)
        {
            return false;
        }
        final byte[] name = entry.target().byteArray();
        final int length = entry.targetLength();
        for (final byte[] target : targets)
        {
            if (target.length == length && Arrays.equals(target, 0, length, name, 0, length))
            {
                return true;
            }
        }
        return false;
    }

    /** Something went wrong reading the journal: close the client (it resumes by id) and stop. */
    void abort()
    {
        session.close(1011, "replay failed; resume by id");
        finish();
    }

    private void finish()
    {
        if (reader != null)
        {
            reader.close();
            reader = null;
        }
        segment.complete();
        session.requestFlush();
    }
}
