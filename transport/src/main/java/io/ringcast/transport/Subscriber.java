package io.ringcast.transport;

import org.agrona.DirectBuffer;

/**
 * One WebSocket client as the pipeline sees it: somewhere to put whole pre-encoded frames, a replay stream to hand to
 * the journal reader, and a close request. The engine's fan-out, replay and ring code depend on this, never on the
 * transport's session class, so they can be unit-tested against fakes.
 * <p>
 * Threading: {@link #offer}, {@link #beginReplay}, {@link #lagging}, {@link #markDirty} and {@link #flushMarked}
 * are called by one producer thread (the fan-out). {@link #requestFlush}, {@link #close}, the queries and the
 * {@link ReplayStream} methods are safe from any thread.
 */
public interface Subscriber
{
    /** Node-wide id of the connection, for logs, metrics and the admin API. */
    long sessionId();

    /**
     * Producer: queue one whole frame behind the ones queued before.
     *
     * @return false when the client's buffer cannot take it: nothing was queued, and the caller decides (catch-up).
     */
    boolean offer(DirectBuffer frame, int offset, int length);

    /**
     * Producer: open a replay stream at the current end of the live stream. Frames put into it are sent before any
     * live frame offered after this call, so a replay that ends where live delivery began has no gap.
     *
     * @return null when no send-buffer memory can be had for it.
     */
    ReplayStream beginReplay();

    /** Producer: whether live delivery skips this client (it is being served from the journal). */
    boolean isLagging();

    /** Producer: set or clear {@link #isLagging()}. */
    void lagging(boolean lagging);

    /**
     * Producer: remember that this client has frames to flush at the end of the batch.
     *
     * @return true the first time since the last {@link #flushMarked()}: the caller must then call it once.
     */
    boolean markDirty();

    /** Producer: end of batch for a client marked dirty; asks its I/O thread to write. */
    void flushMarked();

    /** Any thread: ask the client's I/O thread to write what is queued. */
    void requestFlush();

    /** Any thread, approximate: bytes queued on the live stream and not yet taken by the socket. */
    long liveQueuedBytes();

    /** Any thread, approximate: bytes queued, live and replay, not yet taken by the socket. */
    long queuedBytes();

    /** Any thread: close with {@code code} behind what is queued so far. The first request wins. */
    void close(int code, String reason);

    /** Any thread: a close was requested (by anyone). */
    boolean isCloseRequested();

    /** Any thread: the connection is gone. */
    boolean isClosed();
}
