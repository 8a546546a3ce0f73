package io.ringcast.engine.config;

import java.util.Locale;

/** How log lines are written to stderr ({@code --log-format}). */
public enum LogFormat
{
    /** One human-readable line per event. */
    PLAIN("logback.xml"),
    /** One JSON object per line, for log shippers (Logback's JSON encoder). */
    JSON("logback-json.xml");

    private final String logbackResource;

    LogFormat(final String logbackResource)
    {
        this.logbackResource = logbackResource;
    }

    /** The Logback configuration on the class path that writes this format. */
    public String logbackResource()
    {
        return logbackResource;
    }

    /** @throws IllegalArgumentException for a format other than plain or json. */
    public static LogFormat parse(final String text)
    {
        final String name = text.trim().toLowerCase(Locale.ROOT);
        for (final LogFormat format : values())
        {
            if (format.name().toLowerCase(Locale.ROOT).equals(name))
            {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown log format; one of " + WaitStrategyType.names(values()));
    }
}
