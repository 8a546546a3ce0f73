package io.ringcast.engine.metrics;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * Every counter the engine (journal handler, fan-out, replay, agents) increments, declared once: id, Prometheus name, what it counts
 * and which thread writes it. The transport's counters stay in {@code io.ringcast.transport.metrics.Metrics}.
 */
public enum EngineCounterDescriptor
{
    MESSAGES_JOURNALED(0, "ringcast_messages_journaled_total",
        "Journal thread. Messages journaled (ids assigned)."),
    PUBLISHES_REJECTED(1, "ringcast_publishes_rejected_total",
        "Journal thread. Publishes refused, any reason."),
    REPLY_BATCHES(2, "ringcast_publisher_reply_batches_total",
        "Journal thread. Publisher replies sent in batches (one commit per publisher per batch)."),
    FRAMES_ENCODED(3, "ringcast_frames_encoded_total",
        "Fan-out thread. Message frames encoded: once per message with at least one subscriber."),
    FRAMES_QUEUED(4, "ringcast_frames_queued_total",
        "Fan-out thread. Frames copied into client buffers (deliveries)."),
    NO_ROOM_CLOSES(5, "ringcast_ws_closes_no_room_total",
        "Fan-out thread. Clients closed with 4001: no room for a control reply, or no memory for a replay buffer."),
    REPLAYS_STARTED(6, "ringcast_replays_started_total",
        "Fan-out thread. Replays started (resume with from)."),
    CATCH_UPS_STARTED(7, "ringcast_catchups_started_total",
        "Fan-out thread. Clients moved from the live fan-out to journal catch-up because their buffer was full."),
    REPLAY_JOBS_DEFERRED(8, "ringcast_replay_jobs_deferred_total",
        "Fan-out thread. Replay jobs kept pending by the fan-out because the replay thread's queue was full (retried on the next batch)."),
    FRAMES_REPLAYED(9, "ringcast_frames_replayed_total",
        "Replay thread. Frames sent from the journal to resuming and catching-up clients."),
    REPLAY_JOURNAL_READS(10, "ringcast_replay_journal_reads_total",
        "Replay thread. Journal entries read for replays; below frames replayed when clients share the frame cache."),
    MAX_LAG_CLOSES(11, "ringcast_ws_closes_max_lag_total",
        "Replay thread. Clients in catch-up closed with 4001 for --max-lag."),
    REJOINS_DEFERRED(12, "ringcast_rejoins_deferred_total",
        "Replay thread. Rejoin requests that found the ring full and were retried on a later duty cycle."),
    REPLAY_FAILURES(13, "ringcast_replay_failures_total",
        "Replay thread. Replays that could not open or read the journal; the client was closed with 1011."),
    AGENT_ERRORS(14, "ringcast_agent_errors_total",
        "Any agent or pipeline thread (atomic). Errors caught by an error handler (the thread keeps running).");

    private final int id;
    private final String label;
    private final String description;

    EngineCounterDescriptor(final int id, final String label, final String description)
    {
        this.id = id;
        this.label = label;
        this.description = description;
    }

    /** Dense from 0, in declaration order. */
    public int id()
    {
        return id;
    }

    /** The Prometheus metric name. */
    public String label()
    {
        return label;
    }

    public String description()
    {
        return description;
    }

    AtomicCounter newCounter(final CountersManager manager)
    {
        final AtomicCounter counter = manager.newCounter(label);
        if (counter.id() != id)
        {
            throw new IllegalStateException(label + " got counter id " + counter.id() + ", declared " + id);
        }
        return counter;
    }
}
