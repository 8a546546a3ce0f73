package io.ringcast.bench.replay;

import io.ringcast.bench.LoadGenerator;
import io.ringcast.bench.LoadOptions;
import io.ringcast.bench.LoadReport;
import io.ringcast.bench.NodeProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replay benchmarks against one node process (a temporary journal, deleted afterwards):
 * <ol>
 *     <li>fill the journal with N messages on topic {@code r} over the ingest port (pipelined) and report the rate;
 *     the journal grows through each size of {@code --sizes} (1M then 10M by default);</li>
 *     <li>at each size, the time from a {@code subscribe} with {@code from=F} to the first replayed message, for F near
 *     the start, the middle and the end ({@code N/10}, {@code N/2}, {@code N-1000}), several trials each;</li>
 *     <li>at each size, replay throughput to one client from {@code from=0} (up to {@code --replay-max} messages);</li>
 *     <li>on the full journal, the live clients' latency ({@link LoadGenerator}: 100 clients, 1,000 msg/s, topic
 *     {@code bench}) alone and while one more client replays {@code r} from 0 in a loop ({@link ReplayLoop}),
 *     alternating, several rounds.</li>
 * </ol>
 * Prints a summary table ({@link ReplayBenchReport}) and writes JSON with {@code --json-out}. Exit code 0 when every
 * measurement ran (goals met or not: the table says), 1 when something failed, 2 on bad flags.
 */
public final class ReplayBench
{
    private static final int READ_TIMEOUT_MS = 15_000;
    private static final long PAUSE_BETWEEN_TRIALS_MS = 50;
    private static final int WARMUP_TRIALS = 5;
    private static final long WARMUP_REPLAY_MESSAGES = 200_000;
    private static final long REPLAY_LOOP_SETTLE_MS = 1_000;
    private static final Pattern LATENCY = Pattern.compile("\"latencyUs\":\\{([^}]*)}");

    private ReplayBench()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ReplayBenchOptions options;
        try
        {
            options = ReplayBenchOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("ReplayBench: " + ex.getMessage());
            System.err.print(ReplayBenchOptions.usage());
            System.exit(2);
            return;
        }

        final ReplayBenchReport report = newReport(options);
        final List<String> nodeJvm = new ArrayList<>(NodeProcess.buildJvmFlags());
        nodeJvm.addAll(options.nodeJvmFlags);
        final NodeProcess node;
        try
        {
            node = NodeProcess.start(NodeProcess.Server.RINGCAST, options.jar, nodeJvm, options.nodeLog);
        }
        catch (final IOException ex)
        {
            System.err.println("ReplayBench: " + ex.getMessage());
            System.exit(1);
            return;
        }
        report.nodeCommand = node.commandLine();
        report.nodeLog = node.log().toString();
        log("node pid " + node.pid() + ", http " + node.httpAddress() + ", ingest " + node.ingestAddress() +
            ", log " + node.log());

        try
        {
            run(options, node, report);
        }
        catch (final IOException | RuntimeException ex)
        {
            report.errors.add("aborted: " + ex);
            ex.printStackTrace();
        }
        finally
        {
            report.nodeExitCode = node.stop();
            report.nodeNoteworthyLines = node.noteworthyCount();
            report.nodeNoteworthy = node.noteworthyLines();
        }

        System.out.println();
        System.out.print(report.toText());
        if (options.jsonOut != null)
        {
            Files.writeString(options.jsonOut, report.toJson() + "\n", StandardCharsets.UTF_8);
            System.out.println("\nJSON: " + options.jsonOut);
        }
        System.exit(report.errors.isEmpty() && report.nodeExitCode == 0 ? 0 : 1);
    }

    private static ReplayBenchReport newReport(final ReplayBenchOptions options)
    {
        final ReplayBenchReport report = new ReplayBenchReport();
        report.cores = Runtime.getRuntime().availableProcessors();
        report.setup = String.format(Locale.ROOT,
            "host: %d cores, %s %s, %s; node JVM %s; journal roll cycle: node default; sizes %s%s",
            report.cores, System.getProperty("java.vm.name"), System.getProperty("java.version"),
            System.getProperty("os.name") + " " + System.getProperty("os.version"), String.join(" ", options.nodeJvmFlags),
            java.util.Arrays.toString(options.sizes), options.quick ? " (--quick)" : "");
        report.loadAverage = loadAverage();
        report.trialsPerPoint = options.trials;
        report.windowFrames = options.windowFrames;
        report.payloadBytes = options.payloadBytes;
        report.liveClients = options.liveClients;
        report.liveRate = options.liveRate;
        report.liveDurationSeconds = options.liveDurationSeconds;
        report.liveWarmupSeconds = options.liveWarmupSeconds;
        return report;
    }

    private static void run(final ReplayBenchOptions options, final NodeProcess node, final ReplayBenchReport report)
        throws IOException, InterruptedException
    {
        final InetSocketAddress http = address(node.httpAddress());
        final InetSocketAddress ingest = address(node.ingestAddress());
        final String topic = ReplayBenchOptions.REPLAY_TOPIC;
        long head = 0;
        boolean warmedUp = false;
        for (final long size : options.sizes)
        {
            final ReplayBenchReport.SizeResult result = new ReplayBenchReport.SizeResult(size);
            report.sizes.add(result);
            log("filling the journal from " + head + " to " + size + " messages");
            result.fill = JournalFiller.fill(ingest, topic, size - head, options.payloadBytes, options.windowFrames, head + 1);
            head = size;
            log(String.format(Locale.ROOT, "  %,d messages in %.2f s: %,.0f msg/s", result.fill.count(),
                result.fill.elapsedNs() / 1e9, result.fill.messagesPerSecond()));

            if (!warmedUp)
            {
                log("warm-up (not reported): " + WARMUP_TRIALS + " first-message trials and a replay of " +
                    WARMUP_REPLAY_MESSAGES + " messages");
                for (int i = 0; i < WARMUP_TRIALS; i++)
                {
                    ReplayProbe.firstMessage(http, topic, size / 2, READ_TIMEOUT_MS);
                }
                ReplayProbe.throughput(http, topic, 0, Math.min(size, WARMUP_REPLAY_MESSAGES), READ_TIMEOUT_MS);
                warmedUp = true;
            }

            result.loadAverage = loadAverage();
            for (int trial = 0; trial < options.trials; trial++)
            {
                result.plainSubscribeNs.add(ReplayProbe.plainSubscribeNs(http, "plain-subscribe", READ_TIMEOUT_MS));
                Thread.sleep(PAUSE_BETWEEN_TRIALS_MS);
            }
            for (final long from : new long[]{size / 10, size / 2, size - 1_000})
            {
                for (int trial = 0; trial < options.trials; trial++)
                {
                    final ReplayProbe.FirstMessage first = ReplayProbe.firstMessage(http, topic, from, READ_TIMEOUT_MS);
                    result.trials.add(first);
                    Thread.sleep(PAUSE_BETWEEN_TRIALS_MS);
                }
                final long[] ns = result.firstMessageNs(from);
                log(String.format(Locale.ROOT, "  first message from=%,d: median %.3f ms, max %.3f ms", from,
                    ReplayBenchReport.median(ns) / 1e6, ReplayBenchReport.max(ns) / 1e6));
            }

            final long count = Math.min(size, options.replayMax);
            log("replay throughput: " + count + " messages from 0");
            result.throughput = ReplayProbe.throughput(http, topic, 0, count, READ_TIMEOUT_MS);
            log(String.format(Locale.ROOT, "  %,.0f msg/s (%.2f s)", result.throughput.messagesPerSecond(),
                result.throughput.streamNs() / 1e9));
        }

        if (options.liveRounds > 0)
        {
            runLive(options, node, http, head, report);
        }
        report.metrics = fetchMetrics(http);
    }

    private static void runLive(
        final ReplayBenchOptions options,
        final NodeProcess node,
        final InetSocketAddress http,
        final long replayLastId,
        final ReplayBenchReport report) throws IOException, InterruptedException
    {
        log("live warm-up run (not reported): 3 s");
        runLoad(options, node, "warmup", 3, 0);
        for (int round = 1; round <= options.liveRounds; round++)
        {
            final ReplayBenchReport.LiveRun alone = new ReplayBenchReport.LiveRun(round, false);
            alone.loadAverage = loadAverage();
            fill(alone, runLoad(options, node, "alone-" + round, options.liveDurationSeconds, options.liveWarmupSeconds));
            report.live.add(alone);
            log(String.format(Locale.ROOT, "  round %d alone: p99 %d us (clean %s)", round, alone.p99Us, alone.clean));

            final ReplayBenchReport.LiveRun with = new ReplayBenchReport.LiveRun(round, true);
            with.loadAverage = loadAverage();
            final ReplayLoop loop = new ReplayLoop(http, ReplayBenchOptions.REPLAY_TOPIC, replayLastId, READ_TIMEOUT_MS);
            loop.start();
            Thread.sleep(REPLAY_LOOP_SETTLE_MS);
            final long messagesBefore = loop.messages();
            final long startNs = System.nanoTime();
            final LoadReport load;
            try
            {
                load = runLoad(options, node, "replaying-" + round, options.liveDurationSeconds, options.liveWarmupSeconds);
            }
            finally
            {
                loop.stop();
            }
            with.replayMessagesPerSecond = (loop.messages() - messagesBefore) * 1e9 / (System.nanoTime() - startNs);
            with.replayPasses = loop.passes();
            with.replayFailures = loop.failures();
            with.replayFailure = loop.lastFailure();
            fill(with, load);
            report.live.add(with);
            log(String.format(Locale.ROOT, "  round %d replaying: p99 %d us (clean %s), replay %,.0f msg/s, %d passes",
                round, with.p99Us, with.clean, with.replayMessagesPerSecond, with.replayPasses));
            if (with.replayFailures > 0)
            {
                report.errors.add("round " + round + ": replay loop failed " + with.replayFailures + " times, last: " +
                    with.replayFailure);
            }
            if (!alone.clean || !with.clean)
            {
                report.errors.add("round " + round + ": a live run was not clean (loss, duplicates, errors): see the JSON");
            }
        }
    }

    private static LoadReport runLoad(
        final ReplayBenchOptions options, final NodeProcess node, final String label, final int durationSeconds,
        final int warmupSeconds) throws IOException, InterruptedException
    {
        final LoadOptions load = LoadOptions.parse(new String[]{
            "--ws-url", node.httpAddress(), "--ingest", node.ingestAddress(), "--node-pid", Long.toString(node.pid()),
            "--clients", Integer.toString(options.liveClients), "--topic", ReplayBenchOptions.LIVE_TOPIC,
            "--rate", Integer.toString(options.liveRate), "--size", Integer.toString(Math.max(options.payloadBytes,
            LoadOptions.MIN_PAYLOAD_BYTES)), "--duration", Integer.toString(durationSeconds),
            "--warmup", Integer.toString(warmupSeconds), "--label", label});
        return LoadGenerator.run(load);
    }

    /** Copy the latency figures out of the load report's JSON (its fields are not public). */
    private static void fill(final ReplayBenchReport.LiveRun run, final LoadReport load)
    {
        run.loadJson = load.toJson();
        run.clean = load.clean();
        final Matcher latency = LATENCY.matcher(run.loadJson);
        if (latency.find())
        {
            final String fields = latency.group(1);
            run.p50Us = field(fields, "p50");
            run.p99Us = field(fields, "p99");
            run.p999Us = field(fields, "p99_9");
            run.maxUs = field(fields, "max");
        }
    }

    private static long field(final String json, final String name)
    {
        final Matcher matcher = Pattern.compile("\"" + name + "\":(-?[0-9.]+)").matcher(json);
        return matcher.find() ? (long)Double.parseDouble(matcher.group(1)) : -1;
    }

    private static String fetchMetrics(final InetSocketAddress http)
    {
        try
        {
            final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            final HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://" + http.getHostString() + ":" + http.getPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (final IOException ex)
        {
            return "# cannot read /metrics: " + ex;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "# interrupted";
        }
    }

    /** The first three fields of {@code /proc/loadavg}, or "?" where there is none. */
    private static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "?";
        }
    }

    private static InetSocketAddress address(final String hostPort)
    {
        final int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if ("0.0.0.0".equals(host) || host.startsWith("["))
        {
            host = "127.0.0.1";
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void log(final String line)
    {
        System.out.printf(Locale.ROOT, "[replay-bench %tT] %s%n", System.currentTimeMillis(), line);
    }
}
