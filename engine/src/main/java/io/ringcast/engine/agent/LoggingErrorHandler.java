package io.ringcast.engine.agent;

import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs an error caught on an agent's duty cycle with the agent's role, once per error; the agent keeps running.
 * Wrapped in Agrona's {@link org.agrona.concurrent.CountedErrorHandler} so that every error is also counted.
 */
public final class LoggingErrorHandler implements ErrorHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(LoggingErrorHandler.class);

    private final String role;

    public LoggingErrorHandler(final String role)
    {
        this.role = role;
    }

    @Override
    public void onError(final Throwable throwable)
    {
        LOG.warn("{}: duty cycle failed, continuing", role, throwable);
    }
}
