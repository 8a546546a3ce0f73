package io.ringcast.bench.suite;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The suite's settings, parsed once from the command line.
 * <p>
 * Flags: {@code --repeat N} (3), {@code --duration S} measured seconds per run (10), {@code --warmup S} (2),
 * {@code --quick} (1 repeat, 5 s, 1 s warm-up), {@code --scenarios a,b,...} (ids of {@link Scenario#all()}, default
 * all), {@code --servers ringcast,baseline} (default both), {@code --out DIR} (default
 * {@code bench/results/<UTC timestamp>}), {@code --jar PATH} (default {@code engine/target/ringcast.jar}),
 * {@code --node-jvm "FLAGS"} (extra JVM flags for both servers), {@code --report-only DIR} (only rebuild the table and
 * plot from the run files in DIR).
 */
final class SuiteOptions
{
    int repeat = 3;
    long durationSeconds = 10;
    long warmupSeconds = 2;
    List<String> scenarioIds = new ArrayList<>();
    List<String> servers = List.of("ringcast", "baseline");
    Path out;
    Path jar = Path.of("engine/target/ringcast.jar");
    List<String> nodeJvmFlags = new ArrayList<>();
    Path reportOnly;

    static SuiteOptions parse(final String[] args)
    {
        final SuiteOptions options = new SuiteOptions();
        boolean quick = false;
        boolean durationSet = false;
        boolean repeatSet = false;
        boolean warmupSet = false;
        for (int i = 0; i < args.length; i++)
        {
            final String flag = args[i];
            if ("--quick".equals(flag))
            {
                quick = true;
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(flag + ": missing value");
            }
            final String value = args[++i];
            switch (flag)
            {
                case "--repeat" ->
                {
                    options.repeat = (int)number(flag, value, 1, 99);
                    repeatSet = true;
                }
                case "--duration" ->
                {
                    options.durationSeconds = number(flag, value, 1, 3600);
                    durationSet = true;
                }
                case "--warmup" ->
                {
                    options.warmupSeconds = number(flag, value, 0, 3600);
                    warmupSet = true;
                }
                case "--scenarios" -> options.scenarioIds = Arrays.asList(value.split(","));
                case "--servers" -> options.servers = Arrays.asList(value.split(","));
                case "--out" -> options.out = Path.of(value);
                case "--jar" -> options.jar = Path.of(value);
                case "--node-jvm" -> options.nodeJvmFlags = Arrays.asList(value.trim().split("\\s+"));
                case "--report-only" -> options.reportOnly = Path.of(value);
                default -> throw new IllegalArgumentException(flag + ": unknown flag");
            }
        }
        if (quick)
        {
            options.repeat = repeatSet ? options.repeat : 1;
            options.durationSeconds = durationSet ? options.durationSeconds : 5;
            options.warmupSeconds = warmupSet ? options.warmupSeconds : 1;
        }
        for (final String server : options.servers)
        {
            if (!"ringcast".equals(server) && !"baseline".equals(server))
            {
                throw new IllegalArgumentException("--servers: unknown server " + server);
            }
        }
        for (final String id : options.scenarioIds)
        {
            if (Scenario.all().stream().noneMatch(scenario -> scenario.id().equals(id) || scenario.id().startsWith(id + "-")))
            {
                throw new IllegalArgumentException("--scenarios: unknown scenario " + id);
            }
        }
        if (options.out == null)
        {
            options.out = Path.of("bench", "results",
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC)));
        }
        return options;
    }

    /** The selected scenarios; {@code e} selects both of its variants. */
    List<Scenario> scenarios()
    {
        final List<Scenario> selected = new ArrayList<>();
        for (final Scenario scenario : Scenario.all())
        {
            if (scenarioIds.isEmpty() || scenarioIds.contains(scenario.id()) ||
                scenarioIds.contains(scenario.id().split("-")[0]))
            {
                selected.add(scenario);
            }
        }
        return selected;
    }

    static String usage()
    {
        return "usage: bench/run-suite.sh [--quick] [--repeat N] [--duration S] [--warmup S] [--scenarios a,b,c,d,e,f]\n" +
            "       [--servers ringcast,baseline] [--out DIR] [--jar PATH] [--node-jvm \"FLAGS\"] [--report-only DIR]\n";
    }

    private static long number(final String flag, final String value, final long min, final long max)
    {
        return io.ringcast.bench.LoadOptions.number(flag, value, min, max);
    }
}
