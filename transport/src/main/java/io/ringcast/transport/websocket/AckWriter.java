package io.ringcast.transport.websocket;

import io.ringcast.transport.buffer.OutboundBuffer;
import io.ringcast.transport.metrics.Metrics;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Ack mode for one client ({@code ?ack=1}): hands every message frame the socket has taken in full to the
 * {@link AckTracker}, runs the redelivery timer, and queues redeliveries as control frames (between whole data
 * frames). Owned by the client's I/O thread, like every field here.
 */
final class AckWriter implements OutboundWriter.WrittenListener, AckTracker.Handler
{
    private static final byte[] REDELIVERED = ",\"redelivered\":true}".getBytes(StandardCharsets.US_ASCII);

    /** What the ack writer needs from its session, all on the I/O thread. */
    interface Host
    {
        /** Run {@code task} on the I/O thread after {@code delayMs}; false when the worker is stopping. */
        boolean executeAfterMs(Runnable task, long delayMs);

        /** The connection is closed or closing: redeliveries stop. */
        boolean isClosing();

        /** Write what is queued. */
        void flush();

        /** Close with {@code code} behind what is queued. */
        void close(int code, String reason);

        /** A message was not acked after the last redelivery (for the log). */
        void onAckTimedOut(long id);
    }

    private final AckTracker tracker;
    private final OutboundWriter writer;
    private final Metrics metrics;
    private final Host host;
    private final Runnable onTimer = this::onTimer;
    private ExpandableArrayBuffer scratch;
    private boolean timerScheduled;

    AckWriter(final long ackTimeoutNs, final OutboundWriter writer, final Metrics metrics, final Host host)
    {
        this.tracker = new AckTracker(ackTimeoutNs);
        this.writer = writer;
        this.metrics = metrics;
        this.host = host;
    }

    /** The client acked everything up to {@code id}. */
    void onAck(final long id)
    {
        tracker.onAck(id);
    }

    @Override
    public void onWritten(final OutboundBuffer source)
    {
        final long end = source.consumerPosition();
        long position = source.frameScanPosition();
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
                if (scratch == null)
                {
                    scratch = new ExpandableArrayBuffer(256);
                }
                scratch.checkLimit((int)bodyLength);
                source.copyTo(position + headerLength, (int)bodyLength, scratch);
                tracker.onWritten(id, scratch, 0, (int)bodyLength, nowNs);
            }
            position += headerLength + bodyLength;
        }
        source.frameScanPosition(position);
        scheduleTimer(nowNs);
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

    private void scheduleTimer(final long nowNs)
    {
        if (!timerScheduled && tracker.pending() > 0)
        {
            timerScheduled = true;
            final long next = tracker.poll(nowNs, this);
            if (next == Long.MAX_VALUE)
            {
                timerScheduled = false;
                return;
            }
            // XNIO's timers count whole milliseconds and round down: round up, or a deadline less than 1 ms away
            // would fire at once and re-arm in a loop until it passed.
            final long delayMs = (Math.max(0, next - nowNs) + 999_999) / 1_000_000;
            if (!host.executeAfterMs(onTimer, Math.max(1, delayMs)))
            {
                timerScheduled = false;
            }
        }
    }

    private void onTimer()
    {
        timerScheduled = false;
        if (host.isClosing())
        {
            return;
        }
        final long nowNs = System.nanoTime();
        tracker.poll(nowNs, this);
        scheduleTimer(nowNs);
        host.flush();
    }

    @Override
    public void redeliver(final long id, final byte[] body, final int length, final int attempt)
    {
        final int bodyLength = length - 1 + REDELIVERED.length;
        final ByteBuffer frame = ByteBuffer.allocate(WebSocketFrames.headerLength(bodyLength) + bodyLength);
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        WebSocketFrames.putHeader(view, 0, WebSocketFrames.OPCODE_TEXT, bodyLength);
        frame.position(WebSocketFrames.headerLength(bodyLength));
        frame.put(body, 0, length - 1).put(REDELIVERED).flip();
        writer.queueControl(frame);
        metrics.redeliveries.increment();
    }

    @Override
    public void ackTimedOut(final long id)
    {
        metrics.ackTimeoutCloses.increment();
        host.onAckTimedOut(id);
        host.close(WebSocketFrames.CLOSE_ACK_TIMEOUT, "message " + id + " not acked; resume by id");
    }
}
