package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.ReplayStream;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.metrics.Metrics;
import org.agrona.DirectBuffer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket client on a connection taken over from Undertow after the handshake.
 * <p>
 * Threading:
 * <ul>
 *     <li>the producer (fan-out thread) appends whole frames with {@link #offer} and ends each batch in which it
 *     offered or called {@link #beginReplay} with {@link #markDirty()} and {@link #flushMarked()}, which asks for a
 *     flush (until then the live buffers are its own and cannot be given back);</li>
 *     <li>the connection's I/O thread reads and decodes client frames, and writes the queued bytes, control frames
 *     (pong, close) only between whole data frames;</li>
 *     <li>{@link #close(int, String)} may be called from any thread.</li>
 * </ul>
 * An idle connection holds as little as possible: its send buffers are created by the first frame and dropped after
 * {@link #RELEASE_AFTER_IDLE_NS} with nothing to send ({@link LiveStream}), it reads through buffers shared by its
 * I/O thread ({@link InboundScratch}), and the rest is created when first needed.
 */
public final class ClientSession implements ClientFrameDecoder.Handler, Subscriber
{
    private static final Logger LOG = Logger.getLogger(ClientSession.class.getName());
    private static final long CLOSE_GRACE_SECONDS = 5;
    /** Bytes one flush may write before yielding the I/O thread to its other clients. */
    private static final long FLUSH_BUDGET_BYTES = 1024 * 1024;
    /** A client with nothing queued and nothing written for this long gives its live buffers back. */
    public static final long RELEASE_AFTER_IDLE_NS = TimeUnit.SECONDS.toNanos(1);
    /** Size of a replay or catch-up buffer (at most --client-buffer); dropped once sent. */
    private static final int MAX_SEGMENT_BYTES = 256 * 1024;
    private static final byte[] REDELIVERED = ",\"redelivered\":true}".getBytes(StandardCharsets.US_ASCII);

    /** Receives what the client asks for. Called on the connection's I/O thread. */
    public interface Listener
    {
        /** The handshake is done; requests may follow. */
        void onOpened(ClientSession session);

        void onRequest(ClientSession session, ClientRequest request);

        /** Called once, when the connection is gone. */
        void onClosed(ClientSession session);
    }

    private static final VarHandle FLUSH_SCHEDULED;
    private static final VarHandle CLOSE_REQUESTED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            FLUSH_SCHEDULED = lookup.findVarHandle(ClientSession.class, "flushScheduled", int.class);
            CLOSE_REQUESTED = lookup.findVarHandle(ClientSession.class, "closeRequestedCode", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long sessionId;
    private final StreamConnection connection;
    private final ConduitStreamSinkChannel sink;
    private final ConduitStreamSourceChannel source;
    private final FlushScheduler scheduler;
    private final Listener listener;
    private final Metrics metrics;
    private final int outboundCapacityBytes;
    private final AckTracker ackTracker;
    private final AckTracker.Handler ackHandler;
    private org.agrona.ExpandableArrayBuffer ackScratch;
    private boolean ackTimerScheduled;
    private final IoListener ioListener = new IoListener();

    private final LiveStream live;
    /** Replays under way, oldest first: created by the producer with the first one. */
    private volatile ConcurrentLinkedQueue<ReplaySegment> segments;
    private volatile int flushScheduled;
    private volatile int closeRequestedCode;
    private volatile String closeRequestedReason;

    // written by the I/O thread, read by housekeeping
    private volatile long lastReadNs = System.nanoTime();
    private volatile long bytesWrittenTotal;

    // owned by the housekeeping thread
    private long stallMark = -1;
    private long stallSinceNs;
    private long lastPingNs = System.nanoTime();
    private long idleMark = -1;
    private long idleSinceNs;

    // owned by the producer thread
    private boolean dirty;
    private boolean lagging;

    // owned by the I/O thread
    private final InboundScratch scratch;
    private final ClientFrameDecoder decoder;
    /** Bytes of a frame cut by the end of the last read, or null. */
    private byte[] pendingInput;
    private ArrayDeque<ByteBuffer> controlFrames;
    private ByteBuffer pendingPong;
    private OutboundBuffer current;
    private long writeLimit;
    private long closeAfterPosition;
    private ByteBuffer closeFrame;
    private boolean closeFrameWritten;
    private boolean streamTruncated;
    private boolean writesResumed;
    private boolean peerClosed;
    private boolean closeWhenWritten;
    private volatile boolean closed;

    /**
     * @param scratch the read buffers of the connection's I/O thread.
     * @param readAhead bytes the client sent after its handshake that were read with it, or null.
     */
    public ClientSession(
        final long sessionId,
        final StreamConnection connection,
        final FlushScheduler scheduler,
        final InboundScratch scratch,
        final byte[] readAhead,
        final Listener listener,
        final Metrics metrics,
        final int outboundCapacityBytes,
        final boolean ackMode,
        final long ackTimeoutNs)
    {
        this.sessionId = sessionId;
        this.connection = connection;
        this.sink = connection.getSinkChannel();
        this.source = connection.getSourceChannel();
        this.scheduler = scheduler;
        this.scratch = scratch;
        this.decoder = new ClientFrameDecoder(this, scratch);
        this.pendingInput = readAhead;
        this.listener = listener;
        this.metrics = metrics;
        this.outboundCapacityBytes = outboundCapacityBytes;
        this.live = new LiveStream(outboundCapacityBytes);
        this.ackTracker = ackMode ? new AckTracker(ackTimeoutNs) : null;
        this.ackHandler = ackMode ? new AckHandler() : null;
    }

    /**
     * I/O thread: start reading and writing, with the connection's close listener already set to
     * {@link #closeListener()}. Bytes read ahead are decoded from the next I/O thread callback on, after whatever
     * the caller does now.
     */
    public void start()
    {
        sink.getWriteSetter().set(ioListener);
        source.getReadSetter().set(ioListener);
        if (pendingInput != null)
        {
            source.wakeupReads();
        }
        else
        {
            source.resumeReads();
        }
    }

    /** What the connection must call when it closes. */
    public ChannelListener<Channel> closeListener()
    {
        return ioListener;
    }

    @Override
    public long sessionId()
    {
        return sessionId;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Producer side
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Producer: queue one whole frame.
     *
     * @return false when the client's buffer cannot take it (the frame is not queued).
     */
    @Override
    public boolean offer(final DirectBuffer frame, final int offset, final int length)
    {
        // The live buffers start small and grow (x4) up to the configured capacity; see LiveStream.
        return live.offer(frame, offset, length) ||
            (live.grow(length, queuedBytes()) && live.offer(frame, offset, length));
    }

    /**
     * Producer (fan-out thread): start a replay segment at the current end of the live stream. Frames offered to
     * the segment by a replay thread are sent before any live frame offered after this call.
     *
     * @return null when the JVM refuses the segment's off-heap memory (see {@link DirectMemory}).
     */
    @Override
    public ReplayStream beginReplay()
    {
        final OutboundBuffer buffer = OutboundBuffer.tryCreate(Math.min(outboundCapacityBytes, MAX_SEGMENT_BYTES), 0);
        if (buffer == null)
        {
            return null;
        }
        final ReplaySegment segment = new ReplaySegment(live.producerPosition(), buffer);
        ConcurrentLinkedQueue<ReplaySegment> queue = segments;
        if (queue == null)
        {
            queue = new ConcurrentLinkedQueue<>();
            segments = queue;
        }
        queue.add(segment);
        return segment;
    }

    /** Producer: whether the live fan-out skips this client (it is being served from the journal). */
    @Override
    public boolean isLagging()
    {
        return lagging;
    }

    @Override
    public void lagging(final boolean lagging)
    {
        this.lagging = lagging;
    }

    /**
     * Producer: remember that this session has frames to flush at the end of the batch.
     *
     * @return true the first time since the last {@link #flushMarked()}.
     */
    @Override
    public boolean markDirty()
    {
        if (dirty)
        {
            return false;
        }
        dirty = true;
        return true;
    }

    /** Producer: end of batch for a session marked dirty. */
    @Override
    public void flushMarked()
    {
        dirty = false;
        live.endBatch();
        requestFlush();
    }

    /** Any thread: make the I/O thread write what is queued. */
    @Override
    public void requestFlush()
    {
        // The CAS is a full fence: the bytes published before it are seen by the flush it schedules, or the flag
        // was still set and the flush under way reads them after clearing it (Dekker: no check-then-act shortcut).
        if (FLUSH_SCHEDULED.compareAndSet(this, 0, 1))
        {
            scheduler.schedule(this);
        }
    }

    /** Bytes queued in the live buffers and not yet taken by the socket (any thread; approximate). */
    @Override
    public long liveQueuedBytes()
    {
        return live.queuedBytes();
    }

    /** Bytes queued and not yet taken by the socket, live and replay (any thread; approximate). */
    @Override
    public long queuedBytes()
    {
        long queued = live.queuedBytes();
        final ConcurrentLinkedQueue<ReplaySegment> queue = segments;
        if (queue != null && !queue.isEmpty())
        {
            for (final ReplaySegment segment : queue)
            {
                queued += segment.queuedBytes();
            }
        }
        return queued;
    }

    /**
     * Any thread: close with {@code code} after the bytes queued so far; the peer gets
     * {@value #CLOSE_GRACE_SECONDS} s to read them and answer before the connection is dropped. The first request
     * wins.
     */
    @Override
    public void close(final int code, final String reason)
    {
        if (CLOSE_REQUESTED.compareAndSet(this, 0, code))
        {
            closeRequestedReason = reason;
            requestFlush();
        }
    }

    @Override
    public boolean isCloseRequested()
    {
        return closeRequestedCode != 0;
    }

    /** The connection is closed (any thread; a replay producer uses it to stop). */
    @Override
    public boolean isClosed()
    {
        return closed;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Housekeeping thread
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Housekeeping (one thread, about once a second): close a client that has data pending and has taken none of
     * it for {@code stallTimeoutNs} with 4001; ping a client silent for {@code pingIntervalNs}; drop one silent for
     * {@code pingTimeoutNs}.
     */
    public void housekeeping(
        final long nowNs, final long stallTimeoutNs, final long pingIntervalNs, final long pingTimeoutNs)
    {
        if (closed)
        {
            return;
        }
        final long written = bytesWrittenTotal;
        if (queuedBytes() > 0 && closeRequestedCode == 0)
        {
            if (written != stallMark)
            {
                stallMark = written;
                stallSinceNs = nowNs;
            }
            else if (nowNs - stallSinceNs >= stallTimeoutNs)
            {
                metrics.stallCloses.increment();
                LOG.info(() -> this + ": took nothing for " + TimeUnit.NANOSECONDS.toMillis(nowNs - stallSinceNs) +
                    " ms with " + queuedBytes() + " bytes pending, closing with 4001");
                close(WebSocketFrames.CLOSE_SLOW_CLIENT, "stalled: read nothing for --stall-timeout; resume by id");
            }
            idleMark = -1;
        }
        else
        {
            stallMark = -1;
            releaseBuffersWhenIdle(nowNs, written);
        }

        final long silentNs = nowNs - lastReadNs;
        if (silentNs >= pingTimeoutNs)
        {
            metrics.pingTimeouts.increment();
            LOG.info(() -> this + ": no answer for " + TimeUnit.NANOSECONDS.toSeconds(silentNs) + " s, dropping");
            execute(this::closeNow);
        }
        else if (silentNs >= pingIntervalNs && nowNs - lastPingNs >= pingIntervalNs)
        {
            lastPingNs = nowNs;
            execute(() ->
            {
                controlFrames().add(WebSocketFrames.controlFrame(WebSocketFrames.OPCODE_PING, new byte[0], 0));
                flush();
            });
        }
    }

    /** Housekeeping, with nothing queued: once nothing was written for a while, ask the I/O thread to release. */
    private void releaseBuffersWhenIdle(final long nowNs, final long written)
    {
        if (!live.hasBuffers())
        {
            idleMark = -1;
        }
        else if (written != idleMark)
        {
            idleMark = written;
            idleSinceNs = nowNs;
        }
        else if (nowNs - idleSinceNs >= RELEASE_AFTER_IDLE_NS)
        {
            // At most once per interval, even if the producer keeps the buffers (it is between offers and a flush).
            idleSinceNs = nowNs;
            execute(this::releaseBuffers);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // I/O thread
    // ---------------------------------------------------------------------------------------------------------------

    /** Drop the live buffers if everything in them is written and the producer is not adding to them. */
    private void releaseBuffers()
    {
        final OutboundBuffer source = current;
        if (closed || (source != null && source.consumerPosition() < writeLimit) || hasSegments())
        {
            return;
        }
        if (live.release())
        {
            current = null;
            metrics.sendBuffersReleased.increment();
        }
    }

    private boolean hasSegments()
    {
        final ConcurrentLinkedQueue<ReplaySegment> queue = segments;
        return queue != null && !queue.isEmpty();
    }

    void onFlushScheduled()
    {
        FLUSH_SCHEDULED.setVolatile(this, 0);
        flush();
    }

    /**
     * Write what is queued, in order: the live buffer up to the first replay segment's position, that segment until
     * it is complete and drained, then the live buffer again. Control frames go between whole data frames; a
     * graceful close frame goes once the live bytes queued before the close request are written.
     */
    private void flush()
    {
        if (closed)
        {
            return;
        }
        try
        {
            if (closeRequestedCode != 0 && closeFrame == null)
            {
                queueClose(closeRequestedCode, closeRequestedReason, false);
            }
            long budgetBytes = FLUSH_BUDGET_BYTES;
            while (true)
            {
                final OutboundBuffer source = current;
                if (source != null && source.consumerPosition() < writeLimit)
                {
                    if (budgetBytes <= 0)
                    {
                        // A client fed as fast as it reads (a replay) must not hold the I/O thread: come back later.
                        requestFlush();
                        return;
                    }
                    final long written = source.writeTo(sink, writeLimit);
                    metrics.socketWrites.increment();
                    if (written > 0)
                    {
                        metrics.bytesWritten.getAndAdd(written);
                        bytesWrittenTotal += written;
                        budgetBytes -= written;
                        if (ackTracker != null)
                        {
                            trackWrittenFrames(source);
                        }
                    }
                    if (source.consumerPosition() < writeLimit)
                    {
                        resumeWrites();
                        return;
                    }
                    continue;
                }

                final ByteBuffer control = controlFrames == null ? null : controlFrames.peek();
                if (control != null)
                {
                    if (!writeFully(control))
                    {
                        return;
                    }
                    controlFrames.poll();
                    if (controlFrames.isEmpty())
                    {
                        controlFrames = null;
                    }
                    continue;
                }

                if (closeFrame != null && closeWhenWritten)
                {
                    writeCloseFrame();
                    return;
                }

                if (!selectNextSource())
                {
                    if (closeFrame != null && closeFrameDue())
                    {
                        // Everything queued before the close request is written, in order: now the close frame.
                        writeCloseFrame();
                        return;
                    }
                    if (sink.flush())
                    {
                        suspendWrites();
                    }
                    else
                    {
                        resumeWrites();
                    }
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.fine(() -> this + ": write failed: " + ex.getMessage());
            closeNow();
        }
    }

    /** Ask XNIO for a writable callback, once (changing interest ops costs a selector update). */
    private void resumeWrites()
    {
        if (!writesResumed)
        {
            writesResumed = true;
            sink.resumeWrites();
        }
    }

    private void suspendWrites()
    {
        if (writesResumed)
        {
            writesResumed = false;
            sink.suspendWrites();
        }
    }

    private void writeCloseFrame() throws IOException
    {
        if (!closeFrameWritten)
        {
            if (!writeFully(closeFrame))
            {
                return;
            }
            closeFrameWritten = true;
        }
        if (peerClosed || closeWhenWritten)
        {
            closeNow();
        }
        else
        {
            suspendWrites();
        }
    }

    /** At a frame boundary: pick the buffer and limit to write next. @return false when nothing is ready. */
    private boolean selectNextSource()
    {
        if (streamTruncated)
        {
            return false;
        }
        final OutboundBuffer liveHead = live.head();
        final ConcurrentLinkedQueue<ReplaySegment> queue = segments;
        final ReplaySegment segment = queue == null ? null : queue.peek();
        if (segment != null)
        {
            if (liveHead != null && liveHead.consumerPosition() < segment.livePosition())
            {
                current = liveHead;
                writeLimit = Math.min(segment.livePosition(), liveHead.publishedPosition());
                return true;
            }
            final boolean complete = segment.isComplete();
            final OutboundBuffer replay = segment.buffer();
            final long published = replay.publishedPosition();
            if (replay.consumerPosition() < published)
            {
                current = replay;
                writeLimit = published;
                return true;
            }
            if (complete)
            {
                queue.poll();
                return selectNextSource();
            }
            if (segment.isCancelled())
            {
                // Closing with a replay cut short: whatever follows it would leave a gap, so the stream ends here.
                streamTruncated = true;
            }
            return false;
        }
        if (liveHead == null)
        {
            return false;
        }
        final long limit = closeFrame != null ?
            Math.min(closeAfterPosition, liveHead.publishedPosition()) : liveHead.publishedPosition();
        if (liveHead.consumerPosition() < limit)
        {
            current = liveHead;
            writeLimit = limit;
            return true;
        }
        return false;
    }

    /** Ack mode: hand every message frame the socket has fully taken to the tracker, and time it. */
    private void trackWrittenFrames(final OutboundBuffer source)
    {
        final long end = source.consumerPosition();
        long position = source.ackScanPosition;
        final long nowNs = System.nanoTime();
        while (end - position >= 2)
        {
            final int length7 = source.byteAt(position + 1) & 0x7F;
            final int headerLength = length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
            if (end - position < headerLength)
            {
                break;
            }
            long bodyLength = length7;
            if (length7 >= 126)
            {
                bodyLength = 0;
                for (int i = 2; i < headerLength; i++)
                {
                    bodyLength = (bodyLength << 8) | (source.byteAt(position + i) & 0xFF);
                }
            }
            if (end - position < headerLength + bodyLength)
            {
                break;
            }
            final long id = messageId(source, position + headerLength, (int)bodyLength);
            if (id >= 0)
            {
                if (ackScratch == null)
                {
                    ackScratch = new org.agrona.ExpandableArrayBuffer(256);
                }
                ackScratch.checkLimit((int)bodyLength);
                source.copyTo(position + headerLength, (int)bodyLength, ackScratch);
                ackTracker.onWritten(id, ackScratch, 0, (int)bodyLength, nowNs);
            }
            position += headerLength + bodyLength;
        }
        source.ackScanPosition = position;
        scheduleAckTimer(nowNs);
    }

    /** The id of a message frame body {@code {"id":N,...}}, or -1 for a control reply. */
    private static long messageId(final OutboundBuffer source, final long bodyPosition, final int bodyLength)
    {
        if (bodyLength < 8 || source.byteAt(bodyPosition + 2) != 'i' || source.byteAt(bodyPosition + 3) != 'd')
        {
            return -1;
        }
        long id = 0;
        for (long p = bodyPosition + 6; p < bodyPosition + bodyLength; p++)
        {
            final byte b = source.byteAt(p);
            if (b < '0' || b > '9')
            {
                break;
            }
            id = id * 10 + (b - '0');
        }
        return id;
    }

    private void scheduleAckTimer(final long nowNs)
    {
        if (!ackTimerScheduled && ackTracker.pending() > 0)
        {
            ackTimerScheduled = true;
            final long next = ackTracker.poll(nowNs, ackHandler);
            if (next == Long.MAX_VALUE)
            {
                ackTimerScheduled = false;
                return;
            }
            // XNIO's timers count whole milliseconds and round down: round up, or a deadline less than 1 ms away
            // would fire at once and re-arm in a loop until it passed.
            final long delayMs = (Math.max(0, next - nowNs) + 999_999) / 1_000_000;
            if (!executeAfter(this::onAckTimer, Math.max(1, delayMs), TimeUnit.MILLISECONDS))
            {
                ackTimerScheduled = false;
            }
        }
    }

    private void onAckTimer()
    {
        ackTimerScheduled = false;
        if (closed || closeFrame != null)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        ackTracker.poll(nowNs, ackHandler);
        scheduleAckTimer(nowNs);
        flush();
    }

    /** Called when nothing more is ready to write: is everything queued before the close request written? */
    private boolean closeFrameDue()
    {
        final OutboundBuffer liveHead = live.head();
        return streamTruncated ||
            (!hasSegments() && (liveHead == null || liveHead.consumerPosition() >= closeAfterPosition));
    }

    private boolean writeFully(final ByteBuffer frame) throws IOException
    {
        sink.write(frame);
        metrics.socketWrites.increment();
        if (frame.hasRemaining())
        {
            resumeWrites();
            return false;
        }
        return true;
    }

    private void queueClose(final int code, final String reason, final boolean closeWhenWritten)
    {
        if (closeFrame != null)
        {
            return;
        }
        // A graceful close goes behind the live bytes queued so far; replays still under way are abandoned.
        closeAfterPosition = live.publishedPosition();
        cancelReplays();
        this.closeWhenWritten = closeWhenWritten;
        closeFrame = WebSocketFrames.closeFrame(code, reason);
        if (!executeAfter(this::closeNow, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS))
        {
            // The node is stopping: no grace period to wait out.
            closeNow();
        }
    }

    /** Run {@code task} on this connection's I/O thread; nothing when the worker is shutting down. */
    private void execute(final Runnable task)
    {
        try
        {
            connection.getIoThread().execute(task);
        }
        catch (final java.util.concurrent.RejectedExecutionException ex)
        {
            LOG.fine(() -> this + ": I/O worker stopping, housekeeping task dropped");
        }
    }

    /** Run {@code task} on this connection's I/O thread after a delay; false when the worker is shutting down. */
    private boolean executeAfter(final Runnable task, final long delay, final TimeUnit unit)
    {
        try
        {
            connection.getIoThread().executeAfter(task, delay, unit);
            return true;
        }
        catch (final java.util.concurrent.RejectedExecutionException ex)
        {
            return false;
        }
    }

    /**
     * Read everything the socket has into the I/O thread's shared buffer, behind any frame the last read cut short,
     * and decode it. The buffer holds any frame the decoder accepts, so a cut frame always fits; its bytes are
     * copied out to the session until the next read.
     */
    private void onReadable()
    {
        if (closed)
        {
            return;
        }
        final ByteBuffer in = scratch.readBuffer();
        try
        {
            // Bytes from before (read ahead with the handshake, or a cut frame) are decoded even if none follow.
            boolean undecoded = false;
            if (pendingInput != null)
            {
                in.put(pendingInput);
                pendingInput = null;
                undecoded = true;
            }
            while (true)
            {
                final int read = source.read(in);
                if (read < 0)
                {
                    closeNow();
                    return;
                }
                if (read > 0)
                {
                    lastReadNs = System.nanoTime();
                }
                else if (!undecoded)
                {
                    break;
                }
                undecoded = false;
                in.flip();
                decoder.decode(in);
                if (closed)
                {
                    return;
                }
                if (decoder.isDone())
                {
                    // After a close frame or a protocol error the rest is not looked at; reading goes on for EOF.
                    in.clear();
                }
                else
                {
                    in.compact();
                }
                if (read == 0)
                {
                    break;
                }
            }
            if (in.position() > 0)
            {
                final byte[] cut = new byte[in.position()];
                in.flip();
                in.get(cut);
                pendingInput = cut;
            }
        }
        catch (final IOException ex)
        {
            LOG.fine(() -> this + ": read failed: " + ex.getMessage());
            closeNow();
            return;
        }
        flush();
    }

    @Override
    public void onTextMessage(final byte[] utf8, final int length)
    {
        final ClientRequest request = ClientRequestParser.parse(new String(utf8, 0, length, StandardCharsets.UTF_8));
        if (request.op() == ClientRequest.Op.ACK)
        {
            // Acks concern this connection's I/O thread only; outside ack mode they are accepted and ignored.
            if (ackTracker != null)
            {
                ackTracker.onAck(request.ackId());
            }
            return;
        }
        if (request.op() == ClientRequest.Op.INVALID)
        {
            metrics.badRequests.increment();
        }
        listener.onRequest(this, request);
    }

    @Override
    public void onBinaryMessage()
    {
        metrics.badRequests.increment();
        listener.onRequest(this, ClientRequest.invalid("binary frames are not accepted; send JSON text frames"));
    }

    @Override
    public void onPing(final byte[] body, final int length)
    {
        // Only the latest ping needs an answer (RFC 6455 5.5.3): a pong not yet started is replaced, so a client
        // that pings without reading cannot make the queue grow.
        if (pendingPong != null && pendingPong.position() == 0 && controlFrames().remove(pendingPong))
        {
            pendingPong = null;
        }
        pendingPong = WebSocketFrames.controlFrame(WebSocketFrames.OPCODE_PONG, body, length);
        controlFrames().add(pendingPong);
    }

    @Override
    public void onPong()
    {
    }

    @Override
    public void onClose(final int code)
    {
        peerClosed = true;
        if (closeFrameWritten)
        {
            closeNow();
            return;
        }
        if (closeFrame == null)
        {
            final int echo = code == WebSocketFrames.CLOSE_NO_STATUS ? WebSocketFrames.CLOSE_NORMAL : code;
            queueClose(echo, "", true);
        }
    }

    @Override
    public void onProtocolError(final int closeCode, final String reason)
    {
        metrics.protocolErrors.increment();
        LOG.info(() -> this + ": closing with " + closeCode + ": " + reason);
        CLOSE_REQUESTED.compareAndSet(this, 0, closeCode);
        if (controlFrames != null)
        {
            controlFrames.clear();
        }
        queueClose(closeCode, reason, true);
        flush();
    }

    private void closeNow()
    {
        if (!closed)
        {
            closed = true;
            IoUtils.safeClose(connection);
        }
    }

    private void onConnectionClosed()
    {
        closed = true;
        cancelReplays();
        metrics.connectionsClosed.increment();
        try
        {
            listener.onClosed(this);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(Level.WARNING, "session " + sessionId + ": close listener failed", ex);
        }
    }

    private void cancelReplays()
    {
        final ConcurrentLinkedQueue<ReplaySegment> queue = segments;
        if (queue != null)
        {
            for (final ReplaySegment segment : queue)
            {
                segment.cancel();
            }
        }
    }

    /** I/O thread: control frames and redeliveries to write between data frames. */
    private ArrayDeque<ByteBuffer> controlFrames()
    {
        ArrayDeque<ByteBuffer> frames = controlFrames;
        if (frames == null)
        {
            frames = new ArrayDeque<>(2);
            controlFrames = frames;
        }
        return frames;
    }

    @Override
    public String toString()
    {
        return "session " + sessionId + " " + connection.getPeerAddress();
    }

    /** The connection's read, write and close listener in one object (XNIO passes the channel concerned). */
    private final class IoListener implements ChannelListener<Channel>
    {
        @Override
        public void handleEvent(final Channel channel)
        {
            if (channel == source)
            {
                onReadable();
            }
            else if (channel == sink)
            {
                flush();
            }
            else
            {
                onConnectionClosed();
            }
        }
    }

    private final class AckHandler implements AckTracker.Handler
    {
        @Override
        public void redeliver(final long id, final byte[] body, final int length, final int attempt)
        {
            final int bodyLength = length - 1 + REDELIVERED.length;
            final ByteBuffer frame = ByteBuffer.allocate(WebSocketFrames.headerLength(bodyLength) + bodyLength);
            final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(frame);
            WebSocketFrames.putHeader(view, 0, WebSocketFrames.OPCODE_TEXT, bodyLength);
            frame.position(WebSocketFrames.headerLength(bodyLength));
            frame.put(body, 0, length - 1).put(REDELIVERED).flip();
            controlFrames().add(frame);
            metrics.redeliveries.increment();
        }

        @Override
        public void ackTimedOut(final long id)
        {
            metrics.ackTimeoutCloses.increment();
            LOG.info(() -> ClientSession.this + ": message " + id + " not acked after " +
                AckTracker.MAX_REDELIVERIES + " redeliveries, closing with 4008");
            close(WebSocketFrames.CLOSE_ACK_TIMEOUT, "message " + id + " not acked; resume by id");
        }
    }
}
