package io.ringcast.engine.metrics;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * Every counter the engine (fan-out, replay, agents) increments, declared once: id, Prometheus name, what it counts
 * and which thread writes it. The transport's counters stay in {@code io.ringcast.transport.metrics.Metrics}.
 */
public enum EngineCounterDescriptor
{
    FRAMES_ENCODED(0, "ringcast_frames_encoded_total",
        "Fan-out thread. Message frames encoded: once per message with at least one subscriber."),
    FRAMES_QUEUED(1, "ringcast_frames_queued_total",
        "Fan-out thread. Frames copied into client buffers (deliveries)."),
    NO_ROOM_CLOSES(2, "ringcast_ws_closes_no_room_total",
        "Fan-out thread. Clients closed with 4001: no room for a control reply, or no memory for a replay buffer."),
    REPLAYS_STARTED(3, "ringcast_replays_started_total",
        "Fan-out thread. Replays started (resume with from)."),
    CATCH_UPS_STARTED(4, "ringcast_catchups_started_total",
        "Fan-out thread. Clients moved from the live fan-out to journal catch-up because their buffer was full."),
    REPLAY_JOBS_OVERFLOWED(5, "ringcast_replay_jobs_overflowed_total",
        "Fan-out thread. Replay jobs handed over through the unbounded overflow queue because the bounded one was full."),
    FRAMES_REPLAYED(6, "ringcast_frames_replayed_total",
        "Replay thread. Frames sent from the journal to resuming and catching-up clients."),
    REPLAY_JOURNAL_READS(7, "ringcast_replay_journal_reads_total",
        "Replay thread. Journal entries read for replays; below frames replayed when clients share the frame cache."),
    MAX_LAG_CLOSES(8, "ringcast_ws_closes_max_lag_total",
        "Replay thread. Clients in catch-up closed with 4001 for --max-lag."),
    REJOINS_DEFERRED(9, "ringcast_rejoins_deferred_total",
        "Replay thread. Rejoin requests that found the ring full and were retried on a later duty cycle."),
    REPLAY_FAILURES(10, "ringcast_replay_failures_total",
        "Replay thread. Replays that could not open or read the journal; the client was closed with 1011."),
    AGENT_ERRORS(11, "ringcast_agent_errors_total",
        "Any agent thread. Errors caught by an agent's error handler (the agent keeps running).");

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
