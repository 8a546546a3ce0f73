package io.ringcast.transport.websocket;

import io.ringcast.transport.buffer.OutboundBuffer;
import io.ringcast.transport.buffer.ReplaySegment;
import io.ringcast.transport.metrics.Metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;

/**
 * Writes a client's queued bytes to its socket, in order: the live stream up to the first replay segment's
 * position, that segment until it is complete and drained, then the live stream again. Control frames (pongs, pings,
 * redeliveries) go only between whole data frames; a graceful close frame goes once the live bytes queued before the
 * close was asked for are written. One flush writes at most {@link #FLUSH_BUDGET_BYTES}, so one fast reader cannot
 * hold the I/O thread.
 * <p>
 * Owned by the client's I/O thread: every field here is written and read by it alone. It does not touch the
 * connection: {@link #flush} says what the caller must do next (one of the {@code FLUSH_*} outcomes), so the logic
 * is driven directly in tests against any {@link GatheringByteChannel}.
 */
final class OutboundWriter
{
    /** Bytes one flush may write before yielding the I/O thread to its other clients. */
    static final long FLUSH_BUDGET_BYTES = 1024 * 1024;

    /** Everything ready is written: flush the channel, no writable callback needed. */
    static final int FLUSH_IDLE = 0;
    /** The socket took less than offered: ask for a writable callback. */
    static final int FLUSH_BLOCKED = 1;
    /** The flush budget is spent with more to write: schedule another flush. */
    static final int FLUSH_YIELD = 2;
    /** The close frame is written and the handshake is over (or not to be waited for): drop the connection. */
    static final int FLUSH_CLOSE = 3;
    /** The close frame is written: wait for the peer's close, no writable callback needed. */
    static final int FLUSH_CLOSE_SENT = 4;

    /** Receives the data frames the socket has taken in full (ack mode). */
    interface WrittenListener
    {
        void onWritten(OutboundBuffer source);
    }

    private final OutboundStreams streams;
    private final Metrics metrics;
    private WrittenListener writtenListener;

    private ArrayDeque<ByteBuffer> controlFrames;
    private ByteBuffer pendingPong;
    private OutboundBuffer current;
    private long writeLimit;
    private long bytesWrittenTotal;
    // the close handshake, once a close is queued
    private ByteBuffer closeFrame;
    private long closeAfterPosition;
    private boolean closeWhenWritten;
    private boolean closeFrameWritten;
    private boolean peerClosed;
    private boolean streamTruncated;

    OutboundWriter(final OutboundStreams streams, final Metrics metrics)
    {
        this.streams = streams;
        this.metrics = metrics;
    }

    void writtenListener(final WrittenListener listener)
    {
        this.writtenListener = listener;
    }

    /** Bytes the socket has taken from this client's data streams so far. */
    long bytesWrittenTotal()
    {
        return bytesWrittenTotal;
    }

    /** A close frame is queued (or written). */
    boolean isClosing()
    {
        return closeFrame != null;
    }

    /**
     * Write what is ready, in order, until the socket is full, the budget is spent or nothing is left.
     *
     * @return what the caller does next: one of {@link #FLUSH_IDLE}, {@link #FLUSH_BLOCKED}, {@link #FLUSH_YIELD},
     * {@link #FLUSH_CLOSE}, {@link #FLUSH_CLOSE_SENT}.
     */
    int flush(final GatheringByteChannel channel) throws IOException
    {
        long budgetBytes = FLUSH_BUDGET_BYTES;
        while (true)
        {
            final OutboundBuffer source = current;
            if (source != null && source.consumerPosition() < writeLimit)
            {
                if (budgetBytes <= 0)
                {
                    return FLUSH_YIELD;
                }
                final long written = source.writeTo(channel, writeLimit);
                metrics.socketWrites.increment();
                if (written > 0)
                {
                    metrics.bytesWritten.getAndAdd(written);
                    bytesWrittenTotal += written;
                    budgetBytes -= written;
                    if (writtenListener != null)
                    {
                        writtenListener.onWritten(source);
                    }
                }
                if (source.consumerPosition() < writeLimit)
                {
                    return FLUSH_BLOCKED;
                }
                continue;
            }

            final ByteBuffer control = controlFrames == null ? null : controlFrames.peek();
            if (control != null)
            {
                if (!writeFully(channel, control))
                {
                    return FLUSH_BLOCKED;
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
                return writeCloseFrame(channel);
            }

            if (!selectNextSource())
            {
                if (closeFrame != null && closeFrameDue())
                {
                    // Everything queued before the close request is written, in order: now the close frame.
                    return writeCloseFrame(channel);
                }
                return FLUSH_IDLE;
            }
        }
    }

    /**
     * Queue the close frame: a graceful one ({@code closeWhenWritten} false) goes behind the live bytes queued so
     * far, and the connection is dropped once the peer answers; otherwise it goes next and the connection is dropped
     * once it is written. Replays still under way are abandoned.
     *
     * @return false when a close was already queued (the first one wins).
     */
    boolean queueClose(final int code, final String reason, final boolean closeWhenWritten)
    {
        if (closeFrame != null)
        {
            return false;
        }
        closeAfterPosition = streams.livePublishedPosition();
        streams.cancelReplays();
        this.closeWhenWritten = closeWhenWritten;
        closeFrame = WebSocketFrames.closeFrame(code, reason);
        return true;
    }

    /** A protocol error: what was queued to answer the peer is dropped. */
    void dropControlFrames()
    {
        if (controlFrames != null)
        {
            controlFrames.clear();
        }
        pendingPong = null;
    }

    /**
     * The peer's close frame arrived.
     *
     * @return true when our close frame was already written: the handshake is over, drop the connection.
     */
    boolean onPeerClose()
    {
        peerClosed = true;
        return closeFrameWritten;
    }

    void queuePing()
    {
        controlFrames().add(WebSocketFrames.controlFrame(WebSocketFrames.OPCODE_PING, new byte[0], 0));
    }

    void queuePong(final byte[] body, final int length)
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

    /** A whole frame to send between data frames (an ack-mode redelivery). */
    void queueControl(final ByteBuffer frame)
    {
        controlFrames().add(frame);
    }

    /**
     * Drop the live buffers if everything in them is written and the producer is not adding to them.
     *
     * @return true when they were dropped.
     */
    boolean releaseLiveBuffers()
    {
        final OutboundBuffer source = current;
        if ((source != null && source.consumerPosition() < writeLimit) || streams.hasSegments())
        {
            return false;
        }
        if (streams.releaseLive())
        {
            current = null;
            return true;
        }
        return false;
    }

    private int writeCloseFrame(final GatheringByteChannel channel) throws IOException
    {
        if (!closeFrameWritten)
        {
            if (!writeFully(channel, closeFrame))
            {
                return FLUSH_BLOCKED;
            }
            closeFrameWritten = true;
        }
        return peerClosed || closeWhenWritten ? FLUSH_CLOSE : FLUSH_CLOSE_SENT;
    }

    /** At a frame boundary: pick the buffer and limit to write next. @return false when nothing is ready. */
    private boolean selectNextSource()
    {
        if (streamTruncated)
        {
            return false;
        }
        final OutboundBuffer liveHead = streams.liveHead();
        final ReplaySegment segment = streams.peekSegment();
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
                streams.pollSegment();
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

    /** Called when nothing more is ready to write: is everything queued before the close request written? */
    private boolean closeFrameDue()
    {
        final OutboundBuffer liveHead = streams.liveHead();
        return streamTruncated ||
            (!streams.hasSegments() && (liveHead == null || liveHead.consumerPosition() >= closeAfterPosition));
    }

    private boolean writeFully(final GatheringByteChannel channel, final ByteBuffer frame) throws IOException
    {
        channel.write(frame);
        metrics.socketWrites.increment();
        return !frame.hasRemaining();
    }

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
}
