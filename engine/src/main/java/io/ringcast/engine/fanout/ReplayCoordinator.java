package io.ringcast.engine.fanout;

import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.engine.replay.ReplayJob;
import io.ringcast.engine.replay.ReplayJobs;
import io.ringcast.transport.ReplayStream;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.log.RateLimitedLog;
import io.ringcast.transport.websocket.FrameEncoder;
import io.ringcast.transport.websocket.WebSocketFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fan-out's side of replays: moves a client that cannot keep up from the live fan-out to a journal catch-up and
 * back ({@link #rejoin}), starts resumes, and keeps each caught-up client's job informed of its new subscriptions.
 * Owned by the fan-out thread; jobs go to the replay thread through {@link ReplayJobs}, which never waits: a job its
 * queue has no room for stays pending here and is offered again by {@link #offerPending()}.
 */
final class ReplayCoordinator
{
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCoordinator.class);

    private final Map<Subscriber, ReplayJob> catchUps = new HashMap<>();
    /** Jobs the replay thread's queue had no room for, oldest first: offered again before any new one. */
    private final ArrayDeque<ReplayJob> pending = new ArrayDeque<>();
    private final ReplayJobs replays;
    private final Subscriptions subscriptions;
    private final FanoutBatch batch;
    private final EngineCounters counters;
    private final long replayRatePerSecond;
    private final FrameEncoder replyEncoder = new FrameEncoder();
    private final RateLimitedLog outOfMemoryLog = new RateLimitedLog(
        "clients closed with 4001 (no direct memory for a replay buffer)", RateLimitedLog.DEFAULT_INTERVAL_NS, LOG::warn);

    ReplayCoordinator(
        final ReplayJobs replays,
        final Subscriptions subscriptions,
        final FanoutBatch batch,
        final EngineCounters counters,
        final long replayRatePerSecond)
    {
        this.replays = replays;
        this.subscriptions = subscriptions;
        this.batch = batch;
        this.counters = counters;
        this.replayRatePerSecond = replayRatePerSecond;
    }

    /**
     * The client's buffer cannot take message {@code id}: stop feeding it live and serve it from the journal, from
     * {@code id} on, at its own pace. Nobody else waits; nothing is lost.
     */
    void startCatchUp(final Subscriber session, final long id)
    {
        session.lagging(true);
        // Its failed offer (and beginReplay below) opened a producer batch on its live stream: end it with the
        // others, or the I/O thread could never release that client's buffers.
        batch.markDirty(session);
        final List<String> topicNames = new ArrayList<>();
        final List<String> groupNames = new ArrayList<>();
        subscriptions.namesOf(session, topicNames, groupNames);
        final ReplayStream segment = session.beginReplay();
        if (segment == null)
        {
            closeOutOfMemory(session);
            return;
        }
        final ReplayJob job = new ReplayJob(
            session, segment, topicNames, groupNames, id - 1, ReplayJob.OPEN_ENDED, 0);
        catchUps.put(session, job);
        counters.catchUpsStarted.incrementRelease();
        submit(job);
    }

    /** A catch-up read up to the fan-out's {@code head}: the client is live again for every id after it. */
    void rejoin(final ReplayJob job, final long head)
    {
        final Subscriber session = job.session();
        job.rejoinedAfter(head);
        session.lagging(false);
        catchUps.remove(session);
    }

    /** The session joined {@code channel}: when it is being caught up, its job covers the channel from now on. */
    void subscribed(final Subscriber session, final Channel channel, final long head)
    {
        if (session.isLagging())
        {
            // Live delivery skips it while it is caught up from the journal: the catch-up covers the new channel.
            final ReplayJob job = catchUps.get(session);
            if (job != null)
            {
                job.addChannel(channel.nameString, channel.group, head);
            }
        }
    }

    /**
     * Replay {@code (from, head]} of the {@code fresh} channels, after the reply {@code recovered}, which goes first
     * in the replay stream. Live delivery of those channels has started, so the replay ends where live begins.
     */
    void startResume(
        final Subscriber session,
        final String recovered,
        final List<String> fresh,
        final boolean group,
        final long from,
        final long head)
    {
        final ReplayStream segment = session.beginReplay();
        if (segment == null)
        {
            closeOutOfMemory(session);
            return;
        }
        final int length = replyEncoder.encodeText(recovered);
        segment.offer(replyEncoder.buffer(), replyEncoder.frameOffset(), length);
        batch.markDirty(session);
        counters.replaysStarted.incrementRelease();
        submit(new ReplayJob(
            session, segment, group ? List.of() : fresh, group ? fresh : List.of(), from, head, replayRatePerSecond));
    }

    /**
     * Offer the jobs kept pending, oldest first, until the replay thread's queue is full again. Called at the end of
     * every batch and when the replay thread says it has room.
     *
     * @return jobs handed over.
     */
    int offerPending()
    {
        int offered = 0;
        ReplayJob job;
        while ((job = pending.peekFirst()) != null && replays.offer(job))
        {
            pending.pollFirst();
            offered++;
        }
        return offered;
    }

    /** Jobs waiting for room in the replay thread's queue. */
    int pendingCount()
    {
        return pending.size();
    }

    private void submit(final ReplayJob job)
    {
        if (!pending.isEmpty() || !replays.offer(job))
        {
            pending.addLast(job);
            counters.replayJobsDeferred.increment();
        }
    }

    /** The session's connection is gone. */
    void remove(final Subscriber session)
    {
        catchUps.remove(session);
    }

    /** Clients with a catch-up in progress (as the fan-out sees it). */
    int catchUpCount()
    {
        return catchUps.size();
    }

    /**
     * No off-heap memory for the client's replay buffer (the JVM's direct memory limit): close it with 4001, it
     * resumes by id later. Called from within delivery (a catch-up) and from a resume: the session stays in its
     * channels, where removing it would shift the array delivery iterates, and is skipped there as closing until its
     * connection's close removes it.
     */
    private void closeOutOfMemory(final Subscriber session)
    {
        counters.noRoomCloses.increment();
        outOfMemoryLog.record(System.nanoTime(), session);
        session.close(WebSocketFrames.CLOSE_SLOW_CLIENT, "node out of send buffer memory; resume by id");
    }
}
