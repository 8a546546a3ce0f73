package io.ringcast.engine.replay;

/** Where the fan-out thread hands replay and catch-up jobs to the replay thread. */
public interface ReplayJobs
{
    /**
     * Fan-out thread: queue {@code job}; never waits.
     *
     * @return false when the replay thread's queue is full: nothing was queued; the caller keeps the job and offers
     * it again later (the replay thread sends {@link RejoinRequests#requestPendingJobs()} once it has room).
     */
    boolean offer(ReplayJob job);
}
