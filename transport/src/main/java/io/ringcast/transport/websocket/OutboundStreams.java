package io.ringcast.transport.websocket;

import io.ringcast.transport.buffer.LiveStream;
import io.ringcast.transport.buffer.OutboundBuffer;
import io.ringcast.transport.buffer.ReplaySegment;
import org.agrona.DirectBuffer;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a client has queued to send: its live stream and the replay segments cut into it, oldest first. The one place
 * both sides meet:
 * <ul>
 *     <li>producer (the fan-out thread): {@link #offer}, {@link #beginReplay}, {@link #endBatch};</li>
 *     <li>consumer (the client's I/O thread): {@link #liveHead}, {@link #peekSegment}, {@link #pollSegment},
 *     {@link #releaseLive}, {@link #cancelReplays};</li>
 *     <li>any thread (approximate): {@link #queuedBytes}, {@link #liveQueuedBytes}, {@link #hasSegments}.</li>
 * </ul>
 */
final class OutboundStreams
{
    /** Size of a replay or catch-up buffer (at most the client's capacity); dropped once sent. */
    static final int MAX_SEGMENT_BYTES = 256 * 1024;

    private final int capacityBytes;
    private final LiveStream live;
    /** Replays under way, oldest first: created by the producer with the first one (an idle client holds none). */
    private volatile ConcurrentLinkedQueue<ReplaySegment> segments;

    OutboundStreams(final int capacityBytes)
    {
        this.capacityBytes = capacityBytes;
        this.live = new LiveStream(capacityBytes);
    }

    // producer -------------------------------------------------------------------------------------------------------

    /** Producer: queue one whole live frame. @return false when it does not fit (nothing queued). */
    boolean offer(final DirectBuffer frame, final int offset, final int length)
    {
        // The live buffers start small and grow (x4) up to the configured capacity; see LiveStream.
        return live.offer(frame, offset, length) ||
            (live.grow(length, queuedBytes()) && live.offer(frame, offset, length));
    }

    /** Producer: a replay segment at the current end of the live stream; null when its memory is refused. */
    ReplaySegment beginReplay()
    {
        final OutboundBuffer buffer = OutboundBuffer.tryCreate(Math.min(capacityBytes, MAX_SEGMENT_BYTES), 0);
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

    /** Producer: the end of a batch in which the live stream was written. */
    void endBatch()
    {
        live.endBatch();
    }

    // consumer -------------------------------------------------------------------------------------------------------

    /** Consumer: the live buffer to write from, or null. */
    OutboundBuffer liveHead()
    {
        return live.head();
    }

    /** Consumer: the end of everything published on the live stream. */
    long livePublishedPosition()
    {
        return live.publishedPosition();
    }

    ReplaySegment peekSegment()
    {
        final ConcurrentLinkedQueue<ReplaySegment> queue = segments;
        return queue == null ? null : queue.peek();
    }

    void pollSegment()
    {
        segments.poll();
    }

    /** Consumer: drop the live buffers if all is written and the producer is out (see {@link LiveStream#release}). */
    boolean releaseLive()
    {
        return live.release();
    }

    /** Any thread: tell every replay producer to stop (the client is closing or gone). */
    void cancelReplays()
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

    // any thread -----------------------------------------------------------------------------------------------------

    boolean hasLiveBuffers()
    {
        return live.hasBuffers();
    }

    boolean hasSegments()
    {
        final ConcurrentLinkedQueue<ReplaySegment> queue = segments;
        return queue != null && !queue.isEmpty();
    }

    long liveQueuedBytes()
    {
        return live.queuedBytes();
    }

    long queuedBytes()
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
}
