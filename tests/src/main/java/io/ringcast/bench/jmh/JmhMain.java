package io.ringcast.bench.jmh;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hot-path micro-benchmarks of this package (ring publish, journal append, fan-out encode + copy, ingest
 * decode) in average-time mode with JMH's GC profiler, and prints one table: ns/op and {@code gc.alloc.rate.norm}
 * (bytes allocated per operation). One fork each, 3 x 1 s warm-up and 5 x 1 s measurement: about 1.5 minutes.
 * <p>
 * Forks get the build's JVM flags (Agrona and Chronicle need them) from the system property
 * {@code ringcast.jvm.flags}, which {@code bench/run-jmh.sh} reads from the root POM; without it, the {@code --add-*}
 * and {@code -D} flags of this JVM are passed on. Arguments: {@code [regex] [--json FILE] [--quick]} (regex over
 * benchmark names, default all of this package; {@code --quick}: 2 x 0.5 s warm-up, 3 x 0.5 s measurement).
 */
public final class JmhMain
{
    private static final String AGRONA_FLAG = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private JmhMain()
    {
    }

    public static void main(final String[] args) throws RunnerException
    {
        String include = JmhMain.class.getPackageName() + "\\..*Benchmark.*";
        String json = null;
        boolean quick = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--json" -> json = args[++i];
                case "--quick" -> quick = true;
                default -> include = args[i];
            }
        }
        final List<String> forkFlags = forkJvmFlags();
        if (!forkFlags.contains(AGRONA_FLAG))
        {
            System.err.println("JmhMain: the fork JVM flags lack " + AGRONA_FLAG + " (set -Dringcast.jvm.flags)");
            System.exit(2);
        }

        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(include)
            .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
            .timeUnit(TimeUnit.NANOSECONDS)
            .forks(1)
            .warmupIterations(quick ? 2 : 3)
            .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
            .jvmArgsAppend(forkFlags.toArray(new String[0]))
            .addProfiler(GCProfiler.class);
        if (json != null)
        {
            options.resultFormat(ResultFormatType.JSON).result(json);
        }
        final Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.println(table(results));
    }

    /** A markdown table of the results: score (ns/op) with its error, and bytes allocated per operation. */
    static String table(final Collection<RunResult> results)
    {
        final StringBuilder table = new StringBuilder()
            .append("| benchmark | ns/op | ± (99.9%) | B/op (gc.alloc.rate.norm) |\n")
            .append("|---|---:|---:|---:|\n");
        for (final RunResult result : results)
        {
            final String name = result.getParams().getBenchmark();
            final String params = result.getParams().getParamsKeys().isEmpty() ? "" :
                " " + result.getParams().getParamsKeys().stream()
                    .map(key -> key + "=" + result.getParams().getParam(key)).reduce((a, b) -> a + "," + b).orElse("");
            final var primary = result.getPrimaryResult();
            final var alloc = result.getSecondaryResults().get("·gc.alloc.rate.norm") != null ?
                result.getSecondaryResults().get("·gc.alloc.rate.norm") : result.getSecondaryResults().get("gc.alloc.rate.norm");
            table.append("| ").append(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1)).append(params)
                .append(" | ").append(String.format(Locale.ROOT, "%.1f", primary.getScore()))
                .append(" | ").append(String.format(Locale.ROOT, "%.1f", primary.getScoreError()))
                .append(" | ").append(alloc == null ? "n/a" : String.format(Locale.ROOT, "%.3f", alloc.getScore()))
                .append(" |\n");
        }
        return table.toString();
    }

    private static List<String> forkJvmFlags()
    {
        final String property = System.getProperty("ringcast.jvm.flags", "").trim();
        if (!property.isEmpty())
        {
            return new ArrayList<>(Arrays.asList(property.split("\\s+")));
        }
        final List<String> inherited = new ArrayList<>();
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle."))
            {
                inherited.add(arg);
            }
        }
        return inherited;
    }
}
