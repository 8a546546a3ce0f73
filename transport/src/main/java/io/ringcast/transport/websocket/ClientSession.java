package io.ringcast.transport.websocket;

import io.ringcast.transport.metrics.Metrics;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket client on a connection taken over from Undertow after the handshake.
 * <p>
 * Threading:
 * <ul>
 *     <li>the producer (fan-out thread) appends whole frames with {@link #offer} and asks for a flush with
 *     {@link #requestFlush()} once per batch;</li>
 *     <li>the connection's I/O thread reads and decodes client frames, and writes the queued bytes, control frames
 *     (pong, close) only between whole data frames;</li>
 *     <li>{@link #close(int, String)} may be called from any thread.</li>
 * </ul>
 * The off-heap {@link OutboundBuffer} is created on first use, so an idle connection costs no buffer.
 */
public final class ClientSession implements ClientFrameDecoder.Handler
{
    private static final Logger LOG = Logger.getLogger(ClientSession.class.getName());
    private static final long CLOSE_GRACE_SECONDS = 5;
    private static final int INITIAL_READ_BYTES = 512;
    /** Bytes one flush may write before yielding the I/O thread to its other clients. */
    private static final long FLUSH_BUDGET_BYTES = 1024 * 1024;
    /** Size of a client's first live buffer; it grows on demand up to --client-buffer. */
    public static final int INITIAL_OUTBOUND_BYTES = 1024;
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
    private final String remoteAddress;
    private final StreamConnection connection;
    private final ConduitStreamSinkChannel sink;
    private final ConduitStreamSourceChannel source;
    private final FlushScheduler scheduler;
    private final Listener listener;
    private final Metrics metrics;
    private final int outboundCapacityBytes;
    private final AckTracker ackTracker;
    private org.agrona.ExpandableArrayBuffer ackScratch;
    private final AckTracker.Handler ackHandler = new AckTracker.Handler()
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
            controlFrames.add(frame);
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
    };
    private boolean ackTimerScheduled;

    /** Head of the live buffer chain: created by the producer, then advanced by the I/O thread. */
    private volatile OutboundBuffer outbound;
    /** Tail of the live buffer chain: producer only. */
    private OutboundBuffer liveTail;
    private final java.util.concurrent.ConcurrentLinkedQueue<ReplaySegment> segments =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
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

    // owned by the producer thread
    private boolean dirty;
    private boolean lagging;

    // owned by the I/O thread
    private final ClientFrameDecoder decoder = new ClientFrameDecoder(this);
    private final ArrayDeque<ByteBuffer> controlFrames = new ArrayDeque<>(2);
    private ByteBuffer pendingPong;
    private ByteBuffer readBuffer = ByteBuffer.allocate(INITIAL_READ_BYTES);
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

    public ClientSession(
        final long sessionId,
        final StreamConnection connection,
        final FlushScheduler scheduler,
        final Listener listener,
        final Metrics metrics,
        final int outboundCapacityBytes,
        final boolean ackMode,
        final long ackTimeoutNs)
    {
        this.sessionId = sessionId;
        this.connection = connection;
        this.remoteAddress = String.valueOf(connection.getPeerAddress());
        this.sink = connection.getSinkChannel();
        this.source = connection.getSourceChannel();
        this.scheduler = scheduler;
        this.listener = listener;
        this.metrics = metrics;
        this.outboundCapacityBytes = outboundCapacityBytes;
        this.ackTracker = ackMode ? new AckTracker(ackTimeoutNs) : null;
    }

    /** I/O thread: start reading and writing. */
    public void start()
    {
        connection.setCloseListener(c -> onConnectionClosed());
        sink.getWriteSetter().set(c -> flush());
        source.getReadSetter().set(c -> onReadable());
        source.resumeReads();
    }

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
    public boolean offer(final DirectBuffer frame, final int offset, final int length)
    {
        final OutboundBuffer tail = liveTail();
        if (tail.offer(frame, offset, length))
        {
            return true;
        }
        return grow(tail, length) && liveTail.offer(frame, offset, length);
    }

    /**
     * Producer: the live buffer is created small on first use and grows (x4) up to the configured capacity when a
     * frame does not fit, so an idle client costs about {@link #INITIAL_OUTBOUND_BYTES}. Growing chains a bigger
     * buffer behind the current one; the I/O thread moves on to it once the current one is drained. A frame larger
     * than the configured capacity gets a buffer of its own size.
     *
     * @return false when the live buffers already hold the configured capacity: the client is too slow.
     */
    private boolean grow(final OutboundBuffer tail, final int frameLength)
    {
        final long queued = queuedBytes();
        if (queued + frameLength > outboundCapacityBytes && queued > 0)
        {
            return false;
        }
        final int capacity = Math.max(
            Math.min(outboundCapacityBytes, tail.capacity() * 4), BitUtil.findNextPositivePowerOfTwo(frameLength));
        final OutboundBuffer bigger = new OutboundBuffer(capacity, tail.producerPosition());
        liveTail = bigger;
        tail.next = bigger;
        return true;
    }

    private OutboundBuffer liveTail()
    {
        OutboundBuffer tail = liveTail;
        if (tail == null)
        {
            tail = new OutboundBuffer(Math.min(INITIAL_OUTBOUND_BYTES, outboundCapacityBytes));
            liveTail = tail;
            outbound = tail;
        }
        return tail;
    }

    /**
     * Producer (fan-out thread): start a replay segment at the current end of the live stream. Frames offered to
     * the segment by a replay thread are sent before any live frame offered after this call.
     */
    public ReplaySegment beginReplay()
    {
        final OutboundBuffer buffer = liveTail();
        final ReplaySegment segment = new ReplaySegment(
            buffer.producerPosition(), new OutboundBuffer(Math.min(outboundCapacityBytes, MAX_SEGMENT_BYTES)));
        segments.add(segment);
        return segment;
    }

    /** Producer: whether the live fan-out skips this client (it is being served from the journal). */
    public boolean isLagging()
    {
        return lagging;
    }

    public void lagging(final boolean lagging)
    {
        this.lagging = lagging;
    }

    /**
     * Producer: remember that this session has frames to flush at the end of the batch.
     *
     * @return true the first time since the last {@link #flushMarked()}.
     */
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
    public void flushMarked()
    {
        dirty = false;
        requestFlush();
    }

    /** Any thread: make the I/O thread write what is queued. */
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
    public long liveQueuedBytes()
    {
        long queued = 0;
        for (OutboundBuffer buffer = outbound; buffer != null; buffer = buffer.next)
        {
            queued += buffer.queuedBytes();
        }
        return queued;
    }

    /** Bytes queued and not yet taken by the socket, live and replay (any thread; approximate). */
    public long queuedBytes()
    {
        long queued = liveQueuedBytes();
        for (final ReplaySegment segment : segments)
        {
            queued += segment.queuedBytes();
        }
        return queued;
    }

    /**
     * Any thread: close with {@code code} after the bytes queued so far; the peer gets
     * {@value #CLOSE_GRACE_SECONDS} s to read them and answer before the connection is dropped. The first request
     * wins.
     */
    public void close(final int code, final String reason)
    {
        if (CLOSE_REQUESTED.compareAndSet(this, 0, code))
        {
            closeRequestedReason = reason;
            requestFlush();
        }
    }

    public boolean isCloseRequested()
    {
        return closeRequestedCode != 0;
    }

    /** The connection is closed (any thread; a replay producer uses it to stop). */
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
        }
        else
        {
            stallMark = -1;
        }

        final long silentNs = nowNs - lastReadNs;
        if (silentNs >= pingTimeoutNs)
        {
            metrics.pingTimeouts.increment();
            LOG.info(() -> this + ": no answer for " + TimeUnit.NANOSECONDS.toSeconds(silentNs) + " s, dropping");
            connection.getIoThread().execute(this::closeNow);
        }
        else if (silentNs >= pingIntervalNs && nowNs - lastPingNs >= pingIntervalNs)
        {
            lastPingNs = nowNs;
            connection.getIoThread().execute(() ->
            {
                controlFrames.add(WebSocketFrames.controlFrame(WebSocketFrames.OPCODE_PING, new byte[0], 0));
                flush();
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // I/O thread
    // ---------------------------------------------------------------------------------------------------------------

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

                final ByteBuffer control = controlFrames.peek();
                if (control != null)
                {
                    if (!writeFully(control))
                    {
                        return;
                    }
                    controlFrames.poll();
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
            LOG.fine(() -> "session " + sessionId + " " + remoteAddress + ": write failed: " + ex.getMessage());
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

    /** I/O thread: the live buffer to read from, skipping buffers that are drained and followed by a bigger one. */
    private OutboundBuffer liveHead()
    {
        OutboundBuffer head = outbound;
        while (head != null)
        {
            final OutboundBuffer next = head.next;
            if (next == null || head.consumerPosition() < head.publishedPosition())
            {
                break;
            }
            head = next;
            outbound = next;
        }
        return head;
    }

    /** The end of everything published to the live stream so far. */
    private long livePublishedPosition()
    {
        OutboundBuffer buffer = outbound;
        if (buffer == null)
        {
            return 0;
        }
        while (buffer.next != null)
        {
            buffer = buffer.next;
        }
        return buffer.publishedPosition();
    }

    /** At a frame boundary: pick the buffer and limit to write next. @return false when nothing is ready. */
    private boolean selectNextSource()
    {
        if (streamTruncated)
        {
            return false;
        }
        final OutboundBuffer live = liveHead();
        final ReplaySegment segment = segments.peek();
        if (segment != null)
        {
            if (live != null && live.consumerPosition() < segment.livePosition())
            {
                current = live;
                writeLimit = Math.min(segment.livePosition(), live.publishedPosition());
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
                segments.poll();
                return selectNextSource();
            }
            if (segment.isCancelled())
            {
                // Closing with a replay cut short: whatever follows it would leave a gap, so the stream ends here.
                streamTruncated = true;
            }
            return false;
        }
        if (live == null)
        {
            return false;
        }
        final long limit = closeFrame != null ?
            Math.min(closeAfterPosition, live.publishedPosition()) : live.publishedPosition();
        if (live.consumerPosition() < limit)
        {
            current = live;
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
            connection.getIoThread().executeAfter(this::onAckTimer, Math.max(0, next - nowNs) + 1_000, TimeUnit.NANOSECONDS);
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
        final OutboundBuffer live = liveHead();
        return streamTruncated || (segments.isEmpty() && (live == null || live.consumerPosition() >= closeAfterPosition));
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
        closeAfterPosition = livePublishedPosition();
        for (final ReplaySegment segment : segments)
        {
            segment.cancel();
        }
        this.closeWhenWritten = closeWhenWritten;
        closeFrame = WebSocketFrames.closeFrame(code, reason);
        connection.getIoThread().executeAfter(this::closeNow, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    private void onReadable()
    {
        if (closed)
        {
            return;
        }
        try
        {
            while (true)
            {
                final int read = source.read(readBuffer);
                if (read < 0)
                {
                    closeNow();
                    return;
                }
                if (read == 0)
                {
                    break;
                }
                lastReadNs = System.nanoTime();
                readBuffer.flip();
                final int needed = decoder.decode(readBuffer);
                readBuffer.compact();
                if (closed)
                {
                    return;
                }
                if (needed > readBuffer.capacity())
                {
                    final ByteBuffer bigger = ByteBuffer.allocate(needed);
                    readBuffer.flip();
                    bigger.put(readBuffer);
                    readBuffer = bigger;
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.fine(() -> "session " + sessionId + " " + remoteAddress + ": read failed: " + ex.getMessage());
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
        if (pendingPong != null && pendingPong.position() == 0 && controlFrames.remove(pendingPong))
        {
            pendingPong = null;
        }
        pendingPong = WebSocketFrames.controlFrame(WebSocketFrames.OPCODE_PONG, body, length);
        controlFrames.add(pendingPong);
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
        LOG.info(() -> "session " + sessionId + " " + remoteAddress + ": closing with " + closeCode + ": " + reason);
        CLOSE_REQUESTED.compareAndSet(this, 0, closeCode);
        controlFrames.clear();
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
        for (final ReplaySegment segment : segments)
        {
            segment.cancel();
        }
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

    @Override
    public String toString()
    {
        return "session " + sessionId + " " + remoteAddress;
    }
}
