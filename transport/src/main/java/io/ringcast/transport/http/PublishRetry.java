package io.ringcast.transport.http;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.MessagePublisher;

/**
 * One HTTP publish that the pipeline may refuse (ring full): offered once at once, then again on the exchange's I/O
 * thread timer with a back-off from {@link #MIN_BACKOFF_NS} doubling to {@link #MAX_BACKOFF_NS}, until it is taken.
 * The exchange stays pending meanwhile (its connection reads nothing more), and the I/O thread never waits for the
 * ring: its other connections are served between the retries. Owned by that I/O thread.
 */
final class PublishRetry implements Runnable
{
    static final long MIN_BACKOFF_NS = 50_000;
    static final long MAX_BACKOFF_NS = 1_000_000;

    /** The I/O thread's timer. */
    interface Timer
    {
        /** Run {@code task} on this thread after {@code delayNs}; false when the thread is stopping. */
        boolean executeAfterNs(Runnable task, long delayNs);
    }

    private final MessagePublisher publisher;
    private final InboundMessage message;
    private final Timer timer;
    private final Runnable onStopped;
    private final Runnable onBackPressured;
    private long backoffNs = MIN_BACKOFF_NS;

    /**
     * @param onStopped called when the timer refuses a retry (the node is stopping): answer the exchange.
     * @param onBackPressured called once per refusal (a counter).
     */
    PublishRetry(
        final MessagePublisher publisher,
        final InboundMessage message,
        final Timer timer,
        final Runnable onStopped,
        final Runnable onBackPressured)
    {
        this.publisher = publisher;
        this.message = message;
        this.timer = timer;
        this.onStopped = onStopped;
        this.onBackPressured = onBackPressured;
    }

    /** Offer it now; when refused, schedule the next try and return. @return true when it was taken now. */
    boolean publishOrRetryLater()
    {
        if (publisher.publish(message))
        {
            return true;
        }
        onBackPressured.run();
        if (!timer.executeAfterNs(this, backoffNs))
        {
            onStopped.run();
        }
        backoffNs = Math.min(MAX_BACKOFF_NS, 2 * backoffNs);
        return false;
    }

    /** The timer fired. */
    @Override
    public void run()
    {
        publishOrRetryLater();
    }
}
