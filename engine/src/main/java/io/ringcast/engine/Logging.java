package io.ringcast.engine;

import io.ringcast.engine.config.LogFormat;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One logging backend for the node: Logback, configured for the chosen {@link LogFormat}. java.util.logging is
 * routed into SLF4J (XNIO and the JDK use it); JBoss Logging (Undertow) and Chronicle log through SLF4J already.
 */
final class Logging
{
    private Logging()
    {
    }

    /** Call once at start-up, before the first logger is created. */
    static void install(final LogFormat format)
    {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        if (System.getProperty("logback.configurationFile") == null)
        {
            System.setProperty("logback.configurationFile", format.logbackResource());
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
