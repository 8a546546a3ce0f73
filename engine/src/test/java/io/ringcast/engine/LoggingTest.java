package io.ringcast.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.ringcast.engine.config.LogFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoggingTest
{
    @Test
    void shouldWriteOneJsonObjectPerLineInJsonFormat() throws Exception
    {
        final String line = encode(LogFormat.JSON, "session {}: closed", 42L);

        assertTrue(line.startsWith("{") && line.endsWith("}\n"), line);
        assertTrue(line.contains("\"level\":\"WARN\""), line);
        assertTrue(line.contains("\"formattedMessage\":\"session 42: closed\""), line);
        assertFalse(line.substring(0, line.length() - 1).contains("\n"), "one line");
    }

    @Test
    void shouldWriteOnePlainLineByDefault() throws Exception
    {
        final String line = encode(LogFormat.PLAIN, "session {}: closed", 42L);

        assertTrue(line.endsWith(" WARN  test: session 42: closed\n"), line);
    }

    @SuppressWarnings("unchecked")
    private static String encode(final LogFormat format, final String message, final Object argument) throws Exception
    {
        final LoggerContext context = new LoggerContext();
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LoggingTest.class.getResource("/" + format.logbackResource()));
        final ConsoleAppender<ILoggingEvent> appender =
            (ConsoleAppender<ILoggingEvent>)context.getLogger("ROOT").getAppender("STDERR");
        final Encoder<ILoggingEvent> encoder = appender.getEncoder();
        final LoggingEvent event = new LoggingEvent(
            "fqcn", context.getLogger("test"), Level.WARN, message, null, new Object[] {argument});
        final String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        context.stop();
        return line;
    }
}
