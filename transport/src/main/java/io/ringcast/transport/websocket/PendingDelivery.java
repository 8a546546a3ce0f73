package io.ringcast.transport.websocket;

import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.metrics.Metrics;

import java.util.ArrayDeque;

/**
 * What one client has for the pipeline and the pipeline has not taken yet (it was full): its requests in the order
 * received, then, once the connection is gone, the notification that it closed, delivered exactly once and after
 * every request. While anything is pending the session stops reading the client (back-pressure through TCP) and
 * retries on a short I/O-thread timer, so the I/O thread never waits for the pipeline.
 * <p>
 * Owned by the client's I/O thread, like every field here. Holds nothing while nothing is pending.
 */
final class PendingDelivery
{
    /** How soon a hand-over the pipeline refused is tried again. */
    static final long RETRY_DELAY_MS = 1;

    /** What the delivery needs from its session, all on the I/O thread. */
    interface Host
    {
        /** Run {@code task} on the I/O thread after {@code delayMs}; false when the worker is stopping. */
        boolean executeAfterMs(Runnable task, long delayMs);

        /** Stop reading the client. */
        void suspendReads();

        /** Read the client again (nothing if it is closed). */
        void resumeReads();
    }

    private final Subscriber subscriber;
    private final ClientListener listener;
    private final Metrics metrics;
    private final Host host;
    private final Runnable onRetry = this::onRetry;
    private ArrayDeque<ClientRequest> requests;
    private boolean closedPending;
    private boolean closedDelivered;
    private boolean retryScheduled;

    PendingDelivery(
        final Subscriber subscriber, final ClientListener listener, final Metrics metrics, final Host host)
    {
        this.subscriber = subscriber;
        this.listener = listener;
        this.metrics = metrics;
        this.host = host;
    }

    /** Something waits for room in the pipeline: retry later, and do not read the client meanwhile. */
    boolean isPending()
    {
        return closedPending || (requests != null && !requests.isEmpty());
    }

    /** A request, delivered now unless earlier ones are still waiting or the pipeline is full. */
    void request(final ClientRequest request)
    {
        if (!isPending() && listener.onRequest(subscriber, request))
        {
            return;
        }
        if (requests == null)
        {
            requests = new ArrayDeque<>(4);
        }
        requests.add(request);
        metrics.backPressured.increment();
    }

    /**
     * After a read's requests were handed over: while some wait for the pipeline, stop reading the client and retry
     * on a timer; reading resumes once all are taken.
     */
    void afterRequests()
    {
        if (isPending())
        {
            host.suspendReads();
            scheduleRetry();
        }
    }

    /** The connection is gone: deliver the closed notification behind the requests still waiting. */
    void closed()
    {
        if (!closedDelivered && !closedPending)
        {
            closedPending = true;
            if (!retry())
            {
                scheduleRetry();
            }
        }
    }

    /** A retry is due on the timer (I/O thread). */
    private void onRetry()
    {
        retryScheduled = false;
        if (!retry())
        {
            scheduleRetry();
        }
        else if (!closedDelivered)
        {
            host.resumeReads();
        }
    }

    private void scheduleRetry()
    {
        if (!retryScheduled)
        {
            // False only when the node is stopping: what waits is dropped with the connections.
            retryScheduled = host.executeAfterMs(onRetry, RETRY_DELAY_MS);
        }
    }

    /**
     * Deliver what waits, in order, until the pipeline refuses.
     *
     * @return true when nothing is left.
     */
    private boolean retry()
    {
        final ArrayDeque<ClientRequest> queue = requests;
        if (queue != null)
        {
            while (!queue.isEmpty())
            {
                if (!listener.onRequest(subscriber, queue.peek()))
                {
                    metrics.backPressured.increment();
                    return false;
                }
                queue.poll();
            }
            requests = null;
        }
        if (closedPending)
        {
            if (!listener.onClosed(subscriber))
            {
                metrics.backPressured.increment();
                return false;
            }
            closedPending = false;
            closedDelivered = true;
        }
        return true;
    }
}
