package io.ringcast.engine.replay;

/** How a catch-up asks the fan-out thread to take its client back into the live stream (through the ring). */
public interface RejoinRequests
{
    /**
     * Replay thread: ask once, without waiting.
     *
     * @return false when the request could not be queued (the ring is full): nothing was sent, ask again later.
     */
    boolean requestRejoin(ReplayJob job);
}
