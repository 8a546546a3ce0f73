package io.ringcast.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The figures of one load run, read back from the JSON file the load generator wrote, with the suite's coordinates
 * (scenario, server, repeat) taken from the file name {@code <scenario>--<server>--r<repeat>.json}. Immutable.
 */
final class RunFigures
{
    static final String SEPARATOR = "--";

    final String scenarioId;
    final String server;
    final int repeat;
    final Path file;
    private final Map<String, Object> json;

    private RunFigures(final String scenarioId, final String server, final int repeat, final Path file,
        final Map<String, Object> json)
    {
        this.scenarioId = scenarioId;
        this.server = server;
        this.repeat = repeat;
        this.file = file;
        this.json = json;
    }

    /** The file name of a run. */
    static String fileName(final String scenarioId, final String server, final int repeat)
    {
        return scenarioId + SEPARATOR + server + SEPARATOR + "r" + repeat + ".json";
    }

    /** Read a run's file; null when the name is not a run's. */
    @SuppressWarnings("unchecked")
    static RunFigures read(final Path file) throws IOException
    {
        final String name = file.getFileName().toString();
        final String[] parts = name.replace(".json", "").split(SEPARATOR);
        if (parts.length != 3 || !parts[2].startsWith("r"))
        {
            return null;
        }
        final Object json = io.ringcast.transport.codec.JsonParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        return new RunFigures(parts[0], parts[1], Integer.parseInt(parts[2].substring(1)), file,
            (Map<String, Object>)json);
    }

    /** A number by dotted path ({@code latencyUs.p99}), or NaN when absent. */
    double num(final String path)
    {
        final Object value = lookup(path);
        if (value instanceof Number)
        {
            return ((Number)value).doubleValue();
        }
        if (value instanceof Boolean)
        {
            return (Boolean)value ? 1 : 0;
        }
        return Double.NaN;
    }

    boolean flag(final String path)
    {
        return Boolean.TRUE.equals(lookup(path));
    }

    /** An object's entries by dotted path, e.g. {@code closeCodes}; empty when absent. */
    @SuppressWarnings("unchecked")
    Map<String, Object> object(final String path)
    {
        final Object value = lookup(path);
        return value instanceof Map ? (Map<String, Object>)value : Map.of();
    }

    /** Strings of an array by dotted path; empty when absent. */
    List<String> strings(final String path)
    {
        final List<String> strings = new ArrayList<>();
        if (lookup(path) instanceof List<?> list)
        {
            for (final Object item : list)
            {
                strings.add(String.valueOf(item));
            }
        }
        return strings;
    }

    /** The latency distribution as {percentile, microseconds} pairs; empty when the run had none. */
    List<double[]> percentiles()
    {
        final List<double[]> points = new ArrayList<>();
        if (lookup("percentiles") instanceof List<?> list)
        {
            for (final Object item : list)
            {
                final List<?> pair = (List<?>)item;
                points.add(new double[]{((Number)pair.get(0)).doubleValue(), ((Number)pair.get(1)).doubleValue()});
            }
        }
        return points;
    }

    @SuppressWarnings("unchecked")
    private Object lookup(final String path)
    {
        Object value = json;
        for (final String key : path.split("\\."))
        {
            if (!(value instanceof Map))
            {
                return null;
            }
            value = ((Map<String, Object>)value).get(key);
        }
        return value;
    }
}
