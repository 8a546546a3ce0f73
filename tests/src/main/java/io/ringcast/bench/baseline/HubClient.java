package io.ringcast.bench.baseline;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One baseline client: a bounded queue of message texts and the sender that drains it through
 * {@link WebSockets#sendText(String, WebSocketChannel, WebSocketCallback)}, one message in flight at a time (the
 * seed's per-client write loop, run as a task on the connection's I/O thread instead of a thread per client).
 * <p>
 * Threading: {@link #offer} from any thread only enqueues (like the seed's non-blocking channel send); whoever wins the
 * {@code draining} flag schedules the sender on the I/O thread; when a send completes later, its callback carries on. {@code sendState} settles the race between a send that completes
 * inline and the sender returning, so exactly one of them continues.
 */
final class HubClient implements WebSocketCallback<Void>
{
    /** Close code sent to a client dropped for a full queue (Ringcast's code for the same case). */
    static final int CLOSE_SLOW = 4001;
    private static final long DROP_GRACE_SECONDS = 5;
    private static final int SENDING = 0;
    private static final int RETURNED = 1;
    private static final int COMPLETED = 2;

    private final WebSocketChannel channel;
    private final ArrayBlockingQueue<String> queue;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger sendState = new AtomicInteger(RETURNED);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Runnable sendTask = this::sendQueued;
    private volatile boolean dropped;

    HubClient(final WebSocketChannel channel, final int queueMessages)
    {
        this.channel = channel;
        this.queue = new ArrayBlockingQueue<>(queueMessages);
    }

    /**
     * Queue one message and make sure a sender runs.
     *
     * @return false when the queue is full (the hub then drops this client).
     */
    boolean offer(final String message)
    {
        if (!queue.offer(message))
        {
            return false;
        }
        if (draining.compareAndSet(false, true))
        {
            channel.getIoThread().execute(sendTask);
        }
        return true;
    }

    /** Slow client: close with {@value #CLOSE_SLOW} behind what is queued; cut the connection after a grace period. */
    void drop()
    {
        dropped = true;
        if (draining.compareAndSet(false, true))
        {
            channel.getIoThread().execute(sendTask);
        }
        channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), DROP_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** Send a close frame now (shutdown). */
    void close(final int code, final String reason)
    {
        if (closing.compareAndSet(false, true))
        {
            WebSockets.sendClose(code, reason, channel, null);
        }
    }

    @Override
    public void complete(final WebSocketChannel ignored, final Void context)
    {
        if (!sendState.compareAndSet(SENDING, COMPLETED))
        {
            sendQueued();
        }
    }

    @Override
    public void onError(final WebSocketChannel ignored, final Void context, final Throwable throwable)
    {
        // The sender stays "draining" forever: nothing more is sent; the close task removes the client from the hub.
        IoUtils.safeClose(channel);
    }

    /** Send queued messages until the queue is empty or a send goes asynchronous. The caller owns {@code draining}. */
    private void sendQueued()
    {
        do
        {
            String message;
            while ((message = queue.poll()) != null)
            {
                sendState.set(SENDING);
                WebSockets.sendText(message, channel, this);
                if (sendState.compareAndSet(SENDING, RETURNED))
                {
                    return;
                }
            }
            if (dropped)
            {
                close(CLOSE_SLOW, "slow client dropped");
                return;
            }
            draining.set(false);
        }
        while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }
}
