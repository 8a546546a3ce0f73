package io.ringcast.engine;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.ringcast.engine.config.LogFormat;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One logging backend for the node: Logback, configured for the chosen {@link LogFormat}. java.util.logging is
 * routed into SLF4J (XNIO and the JDK use it); JBoss Logging (Undertow) is told to use SLF4J and Chronicle logs
 * through SLF4J already.
 */
final class Logging
{
    private Logging()
    {
    }

    /**
     * Call once at start-up, before the servers start. Logback may already be running on its default configuration
     * (the {@code plain} one: anything that logged while the flags were read started it), so a format other than
     * that one reconfigures it; a {@code -Dlogback.configurationFile} given by the operator wins over both.
     */
    static void install(final LogFormat format)
    {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        if (format != LogFormat.PLAIN && System.getProperty("logback.configurationFile") == null)
        {
            configure(format.logbackResource());
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    private static void configure(final String resource)
    {
        final ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext))
        {
            return;
        }
        final LoggerContext context = (LoggerContext)factory;
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try
        {
            configurator.doConfigure(Logging.class.getResource("/" + resource));
        }
        catch (final JoranException ex)
        {
            throw new IllegalStateException("cannot configure logging from " + resource + ": " + ex.getMessage(), ex);
        }
    }
}
