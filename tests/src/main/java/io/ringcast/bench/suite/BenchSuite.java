package io.ringcast.bench.suite;

import io.ringcast.bench.LoadGenerator;
import io.ringcast.bench.LoadOptions;
import io.ringcast.bench.LoadReport;
import io.ringcast.bench.NodeProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark suite: every scenario of {@link Scenario#all()} against a Ringcast node and the baseline hub in the same
 * run, each on a fresh server process, repeated (default 3, servers alternating which goes first), then medians.
 * <p>
 * Writes into the output directory: one JSON file per run ({@code <scenario>--<server>--r<N>.json}, the load
 * generator's report with the latency percentile distribution), its text report and the server's log
 * ({@code .txt}, {@code .log}), {@code setup.md} (machine, JVM, flags, command), {@code results.md} (setup, results
 * table, goals table) and {@code latency.png} (percentile distributions, Ringcast vs baseline, per scenario). The
 * markdown is also printed. {@code --report-only DIR} rebuilds the markdown and the plot from existing run files.
 * <p>
 * The load generator runs inside this JVM; see {@link SuiteOptions} for the flags. Exit code 0 when every run
 * completed (whatever the figures), 1 when a server failed to start or a run aborted, 2 on bad flags.
 */
public final class BenchSuite
{
    private static final long IDLE_SECONDS_MAX = 5;
    private static final long IDLE_SETTLE_SECONDS = 2;
    private static final long PAUSE_BETWEEN_RUNS_MS = 1_000;

    private BenchSuite()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final SuiteOptions options;
        try
        {
            options = SuiteOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("BenchSuite: " + ex.getMessage());
            System.err.print(SuiteOptions.usage());
            System.exit(2);
            return;
        }
        if (options.reportOnly != null)
        {
            report(options.reportOnly);
            return;
        }

        Files.createDirectories(options.out);
        final String setup = setup(options);
        Files.writeString(options.out.resolve("setup.md"), setup, StandardCharsets.UTF_8);
        System.out.println(setup);
        final List<Scenario> scenarios = options.scenarios();
        final int totalRuns = options.repeat * scenarios.size() * options.servers.size();
        final long startNs = System.nanoTime();
        int run = 0;
        int failures = 0;
        for (int repeat = 1; repeat <= options.repeat; repeat++)
        {
            for (final Scenario scenario : scenarios)
            {
                final List<String> servers = new ArrayList<>(options.servers);
                if (repeat % 2 == 0)
                {
                    Collections.reverse(servers);
                }
                for (final String server : servers)
                {
                    run++;
                    System.out.printf(Locale.ROOT, "[%d/%d %4ds] %-8s %-8s r%d ... ", run, totalRuns,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs), scenario.id(), server, repeat);
                    System.out.flush();
                    failures += runOne(options, scenario, server, repeat) ? 0 : 1;
                    Thread.sleep(PAUSE_BETWEEN_RUNS_MS);
                }
            }
        }
        System.out.printf(Locale.ROOT, "suite: %d runs in %d s, %d failed%n%n", totalRuns,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs), failures);
        report(options.out);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** One scenario on one fresh server; prints a one-line summary. Returns false when the run could not be done. */
    private static boolean runOne(final SuiteOptions options, final Scenario scenario, final String server, final int repeat)
        throws IOException, InterruptedException
    {
        final String base = RunFigures.fileName(scenario.id(), server, repeat).replace(".json", "");
        final Path json = options.out.resolve(base + ".json");
        final NodeProcess node;
        try
        {
            node = NodeProcess.start(NodeProcess.Server.parse(server), options.jar, options.nodeJvmFlags,
                options.out.resolve(base + ".log"));
        }
        catch (final IOException ex)
        {
            System.out.println("FAILED: " + ex.getMessage());
            return false;
        }

        final boolean idle = scenario.loadArgs().contains("--idle");
        final List<String> args = new ArrayList<>(scenario.loadArgs());
        args.addAll(List.of(
            "--duration", Long.toString(idle ? Math.min(IDLE_SECONDS_MAX, options.durationSeconds) : options.durationSeconds),
            "--warmup", Long.toString(idle ? IDLE_SETTLE_SECONDS : options.warmupSeconds),
            "--label", scenario.id() + "/" + server + "/r" + repeat,
            "--ws-url", node.httpAddress(), "--ingest", node.ingestAddress(), "--node-pid", Long.toString(node.pid()),
            "--percentiles"));
        boolean ok = true;
        final StringBuilder text = new StringBuilder();
        try
        {
            final LoadReport report = LoadGenerator.run(LoadOptions.parse(args.toArray(new String[0])));
            Files.writeString(json, report.toJson() + "\n", StandardCharsets.UTF_8);
            text.append("load: ").append(String.join(" ", args)).append('\n').append(report.toText());
        }
        catch (final IOException | RuntimeException ex)
        {
            text.append("run aborted: ").append(ex).append('\n');
            ok = false;
        }
        finally
        {
            final int exit = node.stop();
            text.append("server: ").append(node.commandLine()).append('\n')
                .append("server exit after SIGTERM: ").append(exit < 0 ? "killed after 15 s" : Integer.toString(exit))
                .append('\n').append("server log: ").append(node.noteworthyCount())
                .append(" lines with warnings, errors, exceptions or client closes\n");
            for (final String line : node.noteworthyLines())
            {
                text.append("  server> ").append(line).append('\n');
            }
            Files.writeString(options.out.resolve(base + ".txt"), text, StandardCharsets.UTF_8);
        }
        System.out.println(ok ? oneLine(RunFigures.read(json)) : "ABORTED (see " + base + ".txt)");
        return ok;
    }

    private static String oneLine(final RunFigures run)
    {
        return String.format(Locale.ROOT,
            "deliveries/s %s  pub/s %s  p50 %s ms  p99 %s ms  max %s ms  missing %s  closed %s  rss/conn %s  node cpu %s%%%s",
            ResultsTable.rate(run.num("deliveriesPerSecond")), ResultsTable.rate(run.num("publishedPerSecond")),
            ResultsTable.ms(run.num("latencyUs.p50")), ResultsTable.ms(run.num("latencyUs.p99")),
            ResultsTable.ms(run.num("latencyUs.max")), ResultsTable.count(run.num("missing")),
            ResultsTable.count(run.num("clientsClosedByServer")),
            run.num("node.rssBytesPerConnection") >= 0 ? ResultsTable.number(run.num("node.rssBytesPerConnection"), 0) : "-",
            ResultsTable.number(run.num("node.cpuPercent"), 0),
            run.strings("errors").isEmpty() ? "" : "  errors: " + String.join("; ", run.strings("errors")));
    }

    /** Read the run files in {@code dir}, write {@code results.md} and {@code latency.png}, print the markdown. */
    private static void report(final Path dir) throws IOException
    {
        final List<RunFigures> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files.sorted()::iterator)
            {
                if (file.getFileName().toString().endsWith(".json"))
                {
                    final RunFigures run = RunFigures.read(file);
                    if (run != null)
                    {
                        runs.add(run);
                    }
                }
            }
        }
        final List<Scenario> scenarios = new ArrayList<>();
        for (final Scenario scenario : Scenario.all())
        {
            if (runs.stream().anyMatch(run -> run.scenarioId.equals(scenario.id())))
            {
                scenarios.add(scenario);
            }
        }
        final List<String> servers = new ArrayList<>();
        for (final String server : List.of("ringcast", "baseline"))
        {
            if (runs.stream().anyMatch(run -> run.server.equals(server)))
            {
                servers.add(server);
            }
        }
        final ResultsTable table = new ResultsTable(scenarios, servers, runs);
        final Path setupFile = dir.resolve("setup.md");
        final String setup = Files.exists(setupFile) ? Files.readString(setupFile, StandardCharsets.UTF_8) : "";
        final Path png = dir.resolve("latency.png");
        PercentilePlot.write(PercentilePlot.panels(scenarios, servers, table),
            "End-to-end latency by percentile (publisher stamp to client receipt), Ringcast vs baseline hub; " +
            "representative run (median p99) of each", png);
        final String markdown = setup +
            "\n## Results (medians of the repeats)\n\n" + table.markdown() +
            "\nLatency: publisher's planned send time to client receipt (coordinated omission included), over the " +
            "measured window. deliveries/s: in-order first deliveries received during the measured window, per " +
            "second, over all clients (in a flood they include backlog published before it). Missing/dup/" +
            "out-of-order are per client against every accepted id (clients closed by the server count their missing " +
            "ids). Node RSS at the end of the window; node CPU in % of one core. In (e) the stalled client is " +
            "reported apart.\n" +
            "\n## Goals\n\n" + table.goals() +
            "\n![latency percentiles](latency.png)\n\nFiles: " + dir.toAbsolutePath() + "\n";
        Files.writeString(dir.resolve("results.md"), markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
    }

    /** The setup section: when, machine, JVM, flags, the command and the suite settings. */
    private static String setup(final SuiteOptions options) throws IOException
    {
        final String command = System.getProperty("ringcast.bench.command", "BenchSuite");
        return "# Ringcast benchmark suite\n\n" +
            "- date: " + ZonedDateTime.now(ZoneOffset.UTC) + "\n" +
            "- machine: " + cpuModel() + ", " + onlineCpus() + " cores, " + memory() + "\n" +
            "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") +
            " (servers and load generator; default GC)\n" +
            "- Ringcast JVM options (jvm.options, as ./ringcast runs it; the baseline hub runs on the JVM's defaults): " +
            jvmOptions(options) + "\n" +
            "- server JVM flags: " + String.join(" ", NodeProcess.buildJvmFlags()) +
            (options.nodeJvmFlags.isEmpty() ? "" : " " + String.join(" ", options.nodeJvmFlags)) +
            " (the Ringcast jar carries the same opens/exports in its manifest)\n" +
            "- command: `" + command + "`\n" +
            "- settings: repeat " + options.repeat + ", " + options.durationSeconds + " s measured after " +
            options.warmupSeconds + " s warm-up per run (idle scenario: " + IDLE_SETTLE_SECONDS + " s settle, " +
            Math.min(IDLE_SECONDS_MAX, options.durationSeconds) + " s), a fresh server process per run, servers " +
            "alternating which goes first; load generator in the suite's JVM on the same machine (Java NIO, " +
            "one receive thread per core but one), " + pinning() + ", all on loopback\n" +
            "- baseline: the seed's hub on the same Undertow (HashMap of clients under a lock, 256-message queue per " +
            "client, WebSockets.sendText per client per message, full queue = client dropped with 4001), no journal\n";
    }

    /** Every CPU of the machine, whatever this process is pinned to. */
    private static int onlineCpus()
    {
        try
        {
            int count = 0;
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("processor"))
                {
                    count++;
                }
            }
            return count > 0 ? count : Runtime.getRuntime().availableProcessors();
        }
        catch (final IOException ex)
        {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static String pinning()
    {
        final String nodeCpus = System.getProperty(NodeProcess.NODE_CPUS_PROPERTY, "");
        final int available = Runtime.getRuntime().availableProcessors();
        if (nodeCpus.isBlank())
        {
            return "load generator and servers unpinned";
        }
        return "load generator pinned to " + available + " CPU" + (available == 1 ? "" : "s") +
            " (taskset), servers on CPUs " + nodeCpus + " (as the issue's reference figures were taken: load " +
            "generator pinned to one core, servers unpinned)";
    }

    private static String jvmOptions(final SuiteOptions options) throws IOException
    {
        final List<String> jvmOptions = NodeProcess.productJvmOptions(options.jar);
        return jvmOptions.isEmpty() ? "none found beside the jar" : String.join(" ", jvmOptions);
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException ignore)
        {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memory()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
            {
                if (line.startsWith("MemTotal:"))
                {
                    final long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB RAM", kib / 1024.0 / 1024.0);
                }
            }
        }
        catch (final IOException | NumberFormatException ignore)
        {
            // not Linux
        }
        return "unknown RAM";
    }
}
