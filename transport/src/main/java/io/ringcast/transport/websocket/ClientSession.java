package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.ReplayStream;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.metrics.Metrics;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One WebSocket client on a connection taken over from Undertow after the handshake: the {@link Subscriber} the
 * pipeline sees, over parts each owned by one thread.
 * <ul>
 *     <li>{@link OutboundStreams}: the producer (fan-out thread) appends whole frames and cuts replay segments in;
 *     the I/O thread consumes them.</li>
 *     <li>{@link OutboundWriter} (I/O thread): writes them in order, control frames between data frames, and the
 *     close frame; {@link AckWriter} (I/O thread) tracks written frames in ack mode.</li>
 *     <li>{@link InboundReader} (I/O thread): reads and decodes what the client sends.</li>
 *     <li>{@link PendingDelivery} (I/O thread): requests and the closed notification the pipeline has not taken yet
 *     (back-pressure: the client is not read meanwhile).</li>
 *     <li>{@link HousekeepingCheck} (I/O thread, on the timer of {@link IoThreadContext}): stall, ping, idle
 *     buffers.</li>
 *     <li>{@link #close(int, String)} may be called from any thread: one {@link CloseRequest} set by one CAS.</li>
 * </ul>
 * An idle connection holds as little as possible: its send buffers are created by the first frame and dropped after
 * {@link SessionSettings#RELEASE_AFTER_IDLE_NS} with nothing to send, it reads through buffers shared by its I/O
 * thread ({@link InboundScratch}), and the rest is created when first needed.
 */
public final class ClientSession implements Subscriber, FlushScheduler.Target, AckWriter.Host, PendingDelivery.Host
{
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    private static final long CLOSE_GRACE_SECONDS = 5;

    private static final AtomicIntegerFieldUpdater<ClientSession> FLUSH_SCHEDULED =
        AtomicIntegerFieldUpdater.newUpdater(ClientSession.class, "flushScheduled");
    private static final AtomicReferenceFieldUpdater<ClientSession, CloseRequest> CLOSE_REQUEST =
        AtomicReferenceFieldUpdater.newUpdater(ClientSession.class, CloseRequest.class, "closeRequest");

    private final long sessionId;
    private final StreamConnection connection;
    private final ConduitStreamSinkChannel sink;
    private final ConduitStreamSourceChannel source;
    private final IoThreadContext context;
    private final Metrics metrics;
    private final IoListener ioListener = new IoListener();
    private final OutboundStreams streams;

    // any thread
    private volatile int flushScheduled;
    private volatile CloseRequest closeRequest;
    private volatile boolean closed;

    // producer (fan-out thread)
    private boolean dirty;
    private boolean lagging;

    // I/O thread
    private final OutboundWriter writer;
    private final AckWriter ackWriter;
    private final InboundReader reader;
    private final PendingDelivery pending;
    private final HousekeepingCheck housekeeping;
    private final Runnable closeNow = this::closeNow;
    private final ChannelInterest interest;
    private long reportedQueuedBytes;

    /** @param readAhead bytes the client sent after its handshake that were read with it, or null. */
    ClientSession(
        final long sessionId,
        final StreamConnection connection,
        final IoThreadContext context,
        final byte[] readAhead,
        final ClientListener listener,
        final Metrics metrics,
        final SessionSettings settings,
        final boolean ackMode)
    {
        final long nowNs = System.nanoTime();
        this.sessionId = sessionId;
        this.connection = connection;
        this.sink = connection.getSinkChannel();
        this.source = connection.getSourceChannel();
        this.context = context;
        this.metrics = metrics;
        this.streams = new OutboundStreams(settings.outboundCapacityBytes());
        this.writer = new OutboundWriter(streams, metrics);
        this.ackWriter = ackMode ? new AckWriter(settings.ackTimeoutNs(), writer, metrics, this) : null;
        writer.writtenListener(ackWriter);
        this.interest = new ChannelInterest(source, sink);
        this.reader = new InboundReader(this, context.scratch(), readAhead, metrics, nowNs);
        this.pending = new PendingDelivery(this, listener, metrics, this);
        this.housekeeping = new HousekeepingCheck(settings, SessionSettings.RELEASE_AFTER_IDLE_NS, nowNs);
    }

    /** I/O thread, close listener set: start; bytes read ahead are decoded from the next I/O callback on. */
    void start()
    {
        sink.getWriteSetter().set(ioListener);
        source.getReadSetter().set(ioListener);
        context.add(this);
        interest.resumeReads(reader.hasPendingInput());
    }

    /** What the connection must call when it closes. */
    ChannelListener<Channel> closeListener()
    {
        return ioListener;
    }

    @Override
    public long sessionId()
    {
        return sessionId;
    }

    // producer (fan-out thread) and any thread ----------------------------------------------------------------------

    @Override
    public boolean offer(final DirectBuffer frame, final int offset, final int length)
    {
        return streams.offer(frame, offset, length);
    }

    @Override
    public ReplayStream beginReplay()
    {
        return streams.beginReplay();
    }

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

    @Override
    public void flushMarked()
    {
        dirty = false;
        streams.endBatch();
        requestFlush();
    }

    @Override
    public void requestFlush()
    {
        // The CAS is a full fence: the bytes published before it are seen by the flush it schedules, or the flag
        // was still set and the flush under way reads them after clearing it (Dekker: no check-then-act shortcut).
        if (FLUSH_SCHEDULED.compareAndSet(this, 0, 1))
        {
            context.flushScheduler().schedule(this);
        }
    }

    @Override
    public long liveQueuedBytes()
    {
        return streams.liveQueuedBytes();
    }

    @Override
    public long queuedBytes()
    {
        return streams.queuedBytes();
    }

    /** Any thread: close behind what is queued; the peer gets {@value #CLOSE_GRACE_SECONDS} s to answer. */
    @Override
    public void close(final int code, final String reason)
    {
        if (requestClose(code, reason))
        {
            requestFlush();
        }
    }

    @Override
    public boolean isCloseRequested()
    {
        return closeRequest != null;
    }

    @Override
    public boolean isClosed()
    {
        return closed;
    }

    private boolean requestClose(final int code, final String reason)
    {
        return closeRequest == null && CLOSE_REQUEST.compareAndSet(this, null, new CloseRequest(code, reason));
    }

    // I/O thread -----------------------------------------------------------------------------------------------------

    @Override
    public void onFlushScheduled()
    {
        flushScheduled = 0;
        flush();
    }

    @Override
    public void flush()
    {
        if (closed)
        {
            return;
        }
        try
        {
            final CloseRequest request = closeRequest;
            if (request != null && !writer.isClosing())
            {
                queueClose(request.code, request.reason, false);
            }
            switch (writer.flush(sink))
            {
                case OutboundWriter.FLUSH_IDLE:
                    if (sink.flush())
                    {
                        interest.suspendWrites();
                    }
                    else
                    {
                        interest.resumeWrites();
                    }
                    break;
                case OutboundWriter.FLUSH_BLOCKED:
                    interest.resumeWrites();
                    break;
                case OutboundWriter.FLUSH_YIELD:
                    // A client fed as fast as it reads (a replay) must not hold the I/O thread: come back later.
                    requestFlush();
                    break;
                case OutboundWriter.FLUSH_CLOSE:
                    closeNow();
                    break;
                default:
                    interest.suspendWrites();
            }
        }
        catch (final IOException ex)
        {
            LOG.debug("{}: write failed: {}", this, ex.getMessage());
            closeNow();
        }
    }

    /** The housekeeping tick of this connection's I/O thread (see {@link IoThreadContext}). */
    void housekeeping(final long nowNs)
    {
        final long queued = streams.queuedBytes();
        metrics.addQueuedBytes(queued - reportedQueuedBytes);
        reportedQueuedBytes = queued;
        final int actions = housekeeping.check(nowNs, queued, closeRequest != null, writer.bytesWrittenTotal(),
            reader.lastReadNs(), streams.hasLiveBuffers());
        if ((actions & HousekeepingCheck.ACTION_STALLED) != 0)
        {
            metrics.stallCloses.increment();
            context.closeLog().stalled.record(nowNs, this);
            close(WebSocketFrames.CLOSE_SLOW_CLIENT, "stalled: read nothing for --stall-timeout; resume by id");
        }
        if ((actions & HousekeepingCheck.ACTION_RELEASE_BUFFERS) != 0 && writer.releaseLiveBuffers())
        {
            metrics.sendBuffersReleased.increment();
        }
        if ((actions & HousekeepingCheck.ACTION_PING_TIMEOUT) != 0)
        {
            metrics.pingTimeouts.increment();
            context.closeLog().pingTimeout.record(nowNs, this);
            closeNow();
        }
        else if ((actions & HousekeepingCheck.ACTION_PING) != 0)
        {
            writer.queuePing();
            flush();
        }
    }

    /** The housekeeping timer has dropped this closed session: take its share out of the queued-bytes gauge. */
    void onHousekeepingEnded()
    {
        metrics.addQueuedBytes(-reportedQueuedBytes);
        reportedQueuedBytes = 0;
    }

    /** A request from the client (or from its upgrade query), handed to the pipeline in order. */
    void submitRequest(final ClientRequest request)
    {
        pending.request(request);
    }

    /** After requests were submitted: while some wait for the pipeline, the client is not read. */
    void afterRequests()
    {
        pending.afterRequests();
    }

    /** Requests wait for room in the pipeline: the reader stops reading. */
    boolean hasPendingRequests()
    {
        return pending.isPending();
    }

    @Override
    public void suspendReads()
    {
        interest.suspendReads();
    }

    @Override
    public void resumeReads()
    {
        if (!closed)
        {
            interest.resumeReads(reader.hasPendingInput());
        }
    }

    void onAck(final long id)
    {
        if (ackWriter != null)
        {
            ackWriter.onAck(id);
        }
    }

    void onPing(final byte[] body, final int length)
    {
        writer.queuePong(body, length);
    }

    void onPeerClose(final int code)
    {
        if (writer.onPeerClose())
        {
            closeNow();
        }
        else if (!writer.isClosing())
        {
            queueClose(code == WebSocketFrames.CLOSE_NO_STATUS ? WebSocketFrames.CLOSE_NORMAL : code, "", true);
        }
    }

    void onProtocolError(final int closeCode, final String reason)
    {
        metrics.protocolErrors.increment();
        context.closeLog().protocolError.record(System.nanoTime(), this + " (" + closeCode + ": " + reason + ")");
        requestClose(closeCode, reason);
        writer.dropControlFrames();
        queueClose(closeCode, reason, true);
        flush();
    }

    @Override
    public boolean isClosing()
    {
        return closed || writer.isClosing();
    }

    @Override
    public boolean executeAfterMs(final Runnable task, final long delayMs)
    {
        try
        {
            connection.getIoThread().executeAfter(task, delayMs, TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            return false;  // the node is stopping
        }
    }

    @Override
    public void onAckTimedOut(final long id)
    {
        context.closeLog().ackTimeout.record(System.nanoTime(), this + " (message " + id + ")");
    }

    private void queueClose(final int code, final String reason, final boolean closeWhenWritten)
    {
        if (writer.queueClose(code, reason, closeWhenWritten) &&
            !executeAfterMs(closeNow, TimeUnit.SECONDS.toMillis(CLOSE_GRACE_SECONDS)))
        {
            closeNow();  // the node is stopping: no grace period to wait out
        }
    }

    private void onReadable()
    {
        if (closed || interest.readsSuspended())
        {
            return;
        }
        try
        {
            if (!reader.read(source))
            {
                closeNow();
                return;
            }
        }
        catch (final IOException ex)
        {
            LOG.debug("{}: read failed: {}", this, ex.getMessage());
            closeNow();
            return;
        }
        if (closed)
        {
            return;
        }
        pending.afterRequests();
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
        streams.cancelReplays();
        metrics.connectionsClosed.increment();
        try
        {
            pending.closed();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("{}: close listener failed", this, ex);
        }
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
}
