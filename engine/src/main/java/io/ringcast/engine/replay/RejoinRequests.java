package io.ringcast.engine.replay;

/** How a catch-up asks the fan-out thread to take its client back into the live stream (through the ring). */
public interface RejoinRequests
{
    void requestRejoin(ReplayJob job);
}
