package io.ringcast.engine.config;

import io.ringcast.journal.Journal;

import java.util.Locale;
import java.util.function.Function;

/** The parsers settings are built from; each throws {@link IllegalArgumentException} saying why, in a few words. */
final class ValueParsers
{
    private ValueParsers()
    {
    }

    static String text(final String text)
    {
        return text;
    }

    static int port(final String text)
    {
        final long port = intValue(text);
        if (port > 65535)
        {
            throw new IllegalArgumentException("a port is 0 to 65535");
        }
        return (int)port;
    }

    static int positiveInt(final String text)
    {
        return (int)positive(intValue(text));
    }

    static int powerOfTwo(final String text)
    {
        final int value = positiveInt(text);
        if (Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException("must be a power of two");
        }
        return value;
    }

    static long positiveDurationMs(final String text)
    {
        return positive(durationMs(text));
    }

    /** A size in bytes within {@code [min, max]}, as an int. */
    static Function<String, Integer> sizeBetween(final long min, final long max, final String range)
    {
        return text ->
        {
            final long size = sizeBytes(text);
            if (size < min || size > max)
            {
                throw new IllegalArgumentException("must be between " + range);
            }
            return (int)size;
        };
    }

    static String rollCycle(final String text)
    {
        final String name = text.toUpperCase(Locale.ROOT);
        try
        {
            Journal.rollCycle(name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("unknown roll cycle (FIVE_MINUTELY, FAST_HOURLY, FAST_DAILY, ...)");
        }
        return name;
    }

    static long durationMs(final String text)
    {
        final String t = text.trim();
        final long multiplier;
        final String number;
        if (t.endsWith("ms"))
        {
            multiplier = 1;
            number = t.substring(0, t.length() - 2);
        }
        else if (t.endsWith("s"))
        {
            multiplier = 1000;
            number = t.substring(0, t.length() - 1);
        }
        else if (t.endsWith("m"))
        {
            multiplier = 60_000;
            number = t.substring(0, t.length() - 1);
        }
        else if (t.endsWith("h"))
        {
            multiplier = 3_600_000;
            number = t.substring(0, t.length() - 1);
        }
        else
        {
            throw new IllegalArgumentException("a duration is <n>ms, <n>s, <n>m or <n>h");
        }
        return Math.multiplyExact(nonNegativeLong(number), multiplier);
    }

    static long sizeBytes(final String text)
    {
        final String t = text.trim();
        final String[] units = {"KiB", "MiB", "GiB"};
        for (int i = 0; i < units.length; i++)
        {
            if (t.endsWith(units[i]))
            {
                return Math.multiplyExact(nonNegativeLong(t.substring(0, t.length() - 3)), 1L << (10 * (i + 1)));
            }
        }
        return nonNegativeLong(t);
    }

    static long nonNegativeLong(final String text)
    {
        final long value;
        try
        {
            value = Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a number");
        }
        if (value < 0)
        {
            throw new IllegalArgumentException("must not be negative");
        }
        return value;
    }

    private static long intValue(final String text)
    {
        final long value = nonNegativeLong(text);
        if (value > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("too large");
        }
        return value;
    }

    private static long positive(final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException("must be greater than 0");
        }
        return value;
    }
}
