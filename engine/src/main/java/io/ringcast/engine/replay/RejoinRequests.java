package io.ringcast.engine.replay;

/** How the replay thread reaches the fan-out thread: through the ring, in order with messages, never waiting. */
public interface RejoinRequests
{
    /**
     * Replay thread: ask once, without waiting, that the fan-out take a caught-up client back into the live stream.
     *
     * @return false when the request could not be queued (the ring is full): nothing was sent, ask again later.
     */
    boolean requestRejoin(ReplayJob job);

    /**
     * Replay thread: tell the fan-out that the job queue has room again, so that the jobs it kept pending are offered
     * even when no message arrives to end a batch.
     *
     * @return false when the ring is full: nothing was sent (the fan-out has a batch to end and retries then anyway).
     */
    boolean requestPendingJobs();
}
