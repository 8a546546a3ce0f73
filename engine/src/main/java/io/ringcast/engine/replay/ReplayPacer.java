package io.ringcast.engine.replay;

/**
 * Paces one resume at {@code --replay-rate} messages a second, so a client reading history at full speed does not
 * take the CPU the live clients need. Unpaced (rate 0, or a catch-up, which must outrun the live stream to rejoin
 * it): every turn may produce the most a turn allows. Owned by the replay thread; time comes from the caller.
 */
final class ReplayPacer
{
    /** Frames a paced job may send at once when it starts (or after a pause). */
    static final int BURST_FRAMES = 64;

    private final long ratePerSecond;
    private long startNs;
    private long framesProduced;

    /** @param ratePerSecond frames a second; 0 for unpaced. */
    ReplayPacer(final long ratePerSecond)
    {
        this.ratePerSecond = ratePerSecond;
    }

    void start(final long nowNs)
    {
        startNs = nowNs;
        framesProduced = 0;
    }

    /** Frames the job may produce now, at most {@code maxFrames}. */
    long allowance(final long nowNs, final int maxFrames)
    {
        if (ratePerSecond <= 0)
        {
            return maxFrames;
        }
        return Math.min(maxFrames, (nowNs - startNs) * ratePerSecond / 1_000_000_000L + BURST_FRAMES - framesProduced);
    }

    void produced(final int frames)
    {
        framesProduced += frames;
    }
}
