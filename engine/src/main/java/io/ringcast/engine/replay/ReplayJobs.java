package io.ringcast.engine.replay;

/** Where the fan-out thread hands replay and catch-up jobs to the replay thread. */
public interface ReplayJobs
{
    /** Fan-out thread: queue {@code job}; never waits. */
    void submit(ReplayJob job);
}
