package io.ringcast.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.journal.Journal;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.PublishStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * First consumer of the ring: gives each accepted message its id, appends it to the journal, then answers the
 * publishers, coalesced per batch (one commit per publisher per batch). Refused messages pass through here only to
 * be answered in order. A failing journal answers {@link PublishStatus#UNAVAILABLE} and consumes no id.
 */
public final class JournalHandler implements EventHandler<MessageEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalHandler.class);

    private final Journal journal;
    private final Sequencer sequencer;
    private final EngineCounters metrics;
    private final AtomicLong journaledHead;
    private PublishReplier[] toCommit = new PublishReplier[64];
    private int toCommitCount;
    private long journaledInBatch;
    private long rejectedInBatch;
    private long journalFailures;

    /**
     * @param journaledHead updated (ordered) with the newest journaled id after each batch.
     */
    public JournalHandler(
        final Journal journal, final Sequencer sequencer, final EngineCounters metrics, final AtomicLong journaledHead)
    {
        this.journal = journal;
        this.sequencer = sequencer;
        this.metrics = metrics;
        this.journaledHead = journaledHead;
    }

    @Override
    public void onEvent(final MessageEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.type == MessageEvent.TYPE_MESSAGE)
        {
            if (event.status == PublishStatus.OK)
            {
                journal(event);
            }
            else
            {
                rejectedInBatch++;
            }
            final PublishReplier replier = event.replier;
            if (replier != null && replier.reply(event.status, event.status == PublishStatus.OK ? event.id : 0))
            {
                addToCommit(replier);
            }
        }
        if (endOfBatch)
        {
            endBatch();
        }
    }

    private void journal(final MessageEvent event)
    {
        final long id = sequencer.nextId();
        try
        {
            journal.append(id, event.flags, event.target, event.targetLength, event.payload, event.payloadLength);
            event.id = id;
            journaledInBatch++;
        }
        catch (final RuntimeException ex)
        {
            sequencer.rollback();
            event.status = PublishStatus.UNAVAILABLE;
            if (journalFailures++ % 1000 == 0)
            {
                LOG.error("journal append failed ({} so far), answering 'unavailable': {}", journalFailures, ex.toString());
            }
        }
    }

    private void addToCommit(final PublishReplier replier)
    {
        if (toCommitCount == toCommit.length)
        {
            toCommit = java.util.Arrays.copyOf(toCommit, toCommitCount * 2);
        }
        toCommit[toCommitCount++] = replier;
    }

    private void endBatch()
    {
        // Chronicle has the bytes in its memory-mapped file once the document is closed: the head may move and
        // publishers may be answered.
        journaledHead.setRelease(sequencer.lastId());
        // Counted before the publishers are answered: one that reads /metrics after its reply sees its message.
        if (journaledInBatch > 0)
        {
            metrics.messagesJournaled.getAndAddRelease(journaledInBatch);
            journaledInBatch = 0;
        }
        if (rejectedInBatch > 0)
        {
            metrics.publishesRejected.getAndAddRelease(rejectedInBatch);
            rejectedInBatch = 0;
        }
        if (toCommitCount > 0)
        {
            metrics.replyBatches.getAndAddRelease(toCommitCount);
        }
        for (int i = 0; i < toCommitCount; i++)
        {
            toCommit[i].commit();
            toCommit[i] = null;
        }
        toCommitCount = 0;
    }
}
