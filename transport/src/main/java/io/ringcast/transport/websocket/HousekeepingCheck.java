package io.ringcast.transport.websocket;

/**
 * The periodic look at one client (stall, ping, idle buffers) as pure logic: given what the session observes, it
 * says what to do, as a set of {@code ACTION_*} bits. Time is passed in. Owned by the client's I/O thread (it runs
 * on the housekeeping timer of that thread, see {@link IoThreadContext}).
 */
final class HousekeepingCheck
{
    static final int ACTION_NONE = 0;
    /** Bytes pending and none taken for the stall timeout: close with 4001. */
    static final int ACTION_STALLED = 1;
    /** Silent for the ping interval: send a ping. */
    static final int ACTION_PING = 2;
    /** Silent for the ping timeout: drop the connection. */
    static final int ACTION_PING_TIMEOUT = 4;
    /** Nothing queued and nothing written for a while: give the live buffers back. */
    static final int ACTION_RELEASE_BUFFERS = 8;

    private final long stallTimeoutNs;
    private final long pingIntervalNs;
    private final long pingTimeoutNs;
    private final long releaseAfterIdleNs;
    private long stallMark = -1;
    private long stallSinceNs;
    private long lastPingNs;
    private long idleMark = -1;
    private long idleSinceNs;

    HousekeepingCheck(final SessionSettings settings, final long releaseAfterIdleNs, final long nowNs)
    {
        this.stallTimeoutNs = settings.stallTimeoutNs();
        this.pingIntervalNs = settings.pingIntervalNs();
        this.pingTimeoutNs = settings.pingTimeoutNs();
        this.releaseAfterIdleNs = releaseAfterIdleNs;
        this.lastPingNs = nowNs;
    }

    /**
     * @param queuedBytes what the client has queued, live and replay.
     * @param closeRequested a close is under way (a stall is not looked for then).
     * @param bytesWrittenTotal what the socket has taken so far.
     * @param lastReadNs when the client last sent anything.
     * @param hasLiveBuffers the client holds live send buffers.
     * @return the actions to take, {@code ACTION_*} bits.
     */
    int check(
        final long nowNs,
        final long queuedBytes,
        final boolean closeRequested,
        final long bytesWrittenTotal,
        final long lastReadNs,
        final boolean hasLiveBuffers)
    {
        int actions = ACTION_NONE;
        if (queuedBytes > 0 && !closeRequested)
        {
            if (bytesWrittenTotal != stallMark)
            {
                stallMark = bytesWrittenTotal;
                stallSinceNs = nowNs;
            }
            else if (nowNs - stallSinceNs >= stallTimeoutNs)
            {
                actions |= ACTION_STALLED;
            }
            idleMark = -1;
        }
        else
        {
            stallMark = -1;
            if (!hasLiveBuffers)
            {
                idleMark = -1;
            }
            else if (bytesWrittenTotal != idleMark)
            {
                idleMark = bytesWrittenTotal;
                idleSinceNs = nowNs;
            }
            else if (nowNs - idleSinceNs >= releaseAfterIdleNs)
            {
                // At most once per interval, even if the producer keeps the buffers (it is between offers and a flush).
                idleSinceNs = nowNs;
                actions |= ACTION_RELEASE_BUFFERS;
            }
        }

        final long silentNs = nowNs - lastReadNs;
        if (silentNs >= pingTimeoutNs)
        {
            actions |= ACTION_PING_TIMEOUT;
        }
        else if (silentNs >= pingIntervalNs && nowNs - lastPingNs >= pingIntervalNs)
        {
            lastPingNs = nowNs;
            actions |= ACTION_PING;
        }
        return actions;
    }
}
