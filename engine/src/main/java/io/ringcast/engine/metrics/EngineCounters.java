package io.ringcast.engine.metrics;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;

/**
 * The engine's counters (journal, fan-out, replay, agents; {@link EngineCounterDescriptor}), off-heap in their own {@link CountersManager}. Each has one
 * writer thread (named in its description), which updates it with ordered stores, once per batch on hot paths;
 * any thread may read.
 */
public final class EngineCounters
{
    private static final int COUNT = EngineCounterDescriptor.values().length;

    private final CountersManager manager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(COUNT * CountersReader.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(COUNT * CountersReader.COUNTER_LENGTH)));
    private final AtomicCounter[] byId = new AtomicCounter[COUNT];

    public final AtomicCounter messagesJournaled = counter(EngineCounterDescriptor.MESSAGES_JOURNALED);
    public final AtomicCounter publishesRejected = counter(EngineCounterDescriptor.PUBLISHES_REJECTED);
    public final AtomicCounter replyBatches = counter(EngineCounterDescriptor.REPLY_BATCHES);
    public final AtomicCounter framesEncoded = counter(EngineCounterDescriptor.FRAMES_ENCODED);
    public final AtomicCounter framesQueued = counter(EngineCounterDescriptor.FRAMES_QUEUED);
    public final AtomicCounter noRoomCloses = counter(EngineCounterDescriptor.NO_ROOM_CLOSES);
    public final AtomicCounter replaysStarted = counter(EngineCounterDescriptor.REPLAYS_STARTED);
    public final AtomicCounter catchUpsStarted = counter(EngineCounterDescriptor.CATCH_UPS_STARTED);
    public final AtomicCounter replayJobsDeferred = counter(EngineCounterDescriptor.REPLAY_JOBS_DEFERRED);
    public final AtomicCounter framesReplayed = counter(EngineCounterDescriptor.FRAMES_REPLAYED);
    public final AtomicCounter replayJournalReads = counter(EngineCounterDescriptor.REPLAY_JOURNAL_READS);
    public final AtomicCounter maxLagCloses = counter(EngineCounterDescriptor.MAX_LAG_CLOSES);
    public final AtomicCounter rejoinsDeferred = counter(EngineCounterDescriptor.REJOINS_DEFERRED);
    public final AtomicCounter replayFailures = counter(EngineCounterDescriptor.REPLAY_FAILURES);
    public final AtomicCounter agentErrors = counter(EngineCounterDescriptor.AGENT_ERRORS);

    private AtomicCounter counter(final EngineCounterDescriptor descriptor)
    {
        final AtomicCounter counter = descriptor.newCounter(manager);
        byId[descriptor.id()] = counter;
        return counter;
    }

    /** The counter declared by {@code descriptor}. */
    public AtomicCounter get(final EngineCounterDescriptor descriptor)
    {
        return byId[descriptor.id()];
    }

    /** Appends every counter in Prometheus text exposition format. Slow path (a /metrics request). */
    public void appendPrometheus(final StringBuilder sb)
    {
        for (final EngineCounterDescriptor descriptor : EngineCounterDescriptor.values())
        {
            sb.append("# TYPE ").append(descriptor.label()).append(" counter\n");
            sb.append(descriptor.label()).append(' ').append(byId[descriptor.id()].get()).append('\n');
        }
    }
}
