package io.ringcast.engine.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One setting of a node, defined once: its flag name, default, parser and documentation. {@code --help}, the
 * environment variable and the README's settings table are all derived from it.
 *
 * @param <T> the parsed type.
 */
public final class Setting<T>
{
    /** Flag name without the dashes, e.g. {@code http-port}. */
    public final String name;
    /** The default, as a user would type it. */
    public final String defaultValue;
    /** The default as documented (e.g. "0 (unlimited)" or a rule such as "half the cores"). */
    public final String documentedDefault;
    /** What it does; Markdown (back-quotes) allowed. */
    public final String doc;
    private final Function<String, T> parser;

    Setting(
        final String name,
        final String defaultValue,
        final String documentedDefault,
        final Function<String, T> parser,
        final String doc)
    {
        this.name = name;
        this.defaultValue = defaultValue;
        this.documentedDefault = documentedDefault;
        this.parser = parser;
        this.doc = doc;
    }

    Setting(final String name, final String defaultValue, final Function<String, T> parser, final String doc)
    {
        this(name, defaultValue, defaultValue, parser, doc);
    }

    /** {@code RINGCAST_} + the name in upper snake case. */
    public String envName()
    {
        return "RINGCAST_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The flag as typed, e.g. {@code --http-port}. */
    public String flag()
    {
        return "--" + name;
    }

    /**
     * @throws IllegalArgumentException one line naming the flag and the value, for a bad value.
     */
    T parse(final String text)
    {
        try
        {
            if (text == null || text.isBlank())
            {
                throw new IllegalArgumentException("must not be empty");
            }
            return parser.apply(text.trim());
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("invalid " + flag() + " '" + text + "': " + ex.getMessage(), ex);
        }
    }
}
