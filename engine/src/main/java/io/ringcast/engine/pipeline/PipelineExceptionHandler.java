package io.ringcast.engine.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts and logs a failure on a pipeline thread with its context (sequence, event type, id); the thread goes on. */
public final class PipelineExceptionHandler implements ExceptionHandler<MessageEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(PipelineExceptionHandler.class);

    private final AtomicCounter errors;

    public PipelineExceptionHandler(final AtomicCounter errors)
    {
        this.errors = errors;
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final MessageEvent event)
    {
        errors.increment();
        LOG.error("pipeline failed on sequence {} (type {}, id {}); continuing", sequence, event.type(), event.id(), ex);
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        errors.increment();
        LOG.error("pipeline failed to start", ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        errors.increment();
        LOG.error("pipeline failed to stop", ex);
    }
}
