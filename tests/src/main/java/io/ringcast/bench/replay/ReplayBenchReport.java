package io.ringcast.bench.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@link ReplayBench} run, with the goals of the replay issue, rendered as a text table
 * ({@link #toText()}) or JSON ({@link #toJson()}). Times in the text are milliseconds (first message) and
 * microseconds (live latency); the JSON keeps nanoseconds and microseconds as measured.
 */
final class ReplayBenchReport
{
    static final double FIRST_MESSAGE_GOAL_MS = 10.0;
    static final double THROUGHPUT_GOAL = 500_000;
    static final double LIVE_P99_RATIO_GOAL = 1.20;

    /** Figures for one journal size. */
    static final class SizeResult
    {
        final long size;
        JournalFiller.Result fill;
        final List<ReplayProbe.FirstMessage> trials = new ArrayList<>();
        final List<Long> plainSubscribeNs = new ArrayList<>();
        String loadAverage = "";
        ReplayProbe.Throughput throughput;

        SizeResult(final long size)
        {
            this.size = size;
        }

        long[] fromPoints()
        {
            return trials.stream().mapToLong(ReplayProbe.FirstMessage::fromId).distinct().toArray();
        }

        long[] firstMessageNs(final long fromId)
        {
            return trials.stream().filter(t -> fromId < 0 || t.fromId() == fromId)
                .mapToLong(ReplayProbe.FirstMessage::firstMessageNs).toArray();
        }

        long[] subscribedNs(final long fromId)
        {
            return trials.stream().filter(t -> fromId < 0 || t.fromId() == fromId)
                .mapToLong(ReplayProbe.FirstMessage::subscribedNs).toArray();
        }
    }

    /** One live load run, alone or with the replaying client. */
    static final class LiveRun
    {
        final int round;
        final boolean replaying;
        long p50Us;
        long p99Us;
        long p999Us;
        long maxUs;
        boolean clean;
        long deliveries;
        double replayMessagesPerSecond;
        String loadAverage = "";
        long replayPasses;
        long replayFailures;
        String replayFailure;
        String loadJson;

        LiveRun(final int round, final boolean replaying)
        {
            this.round = round;
            this.replaying = replaying;
        }
    }

    String setup;
    int cores;
    int trialsPerPoint;
    int windowFrames;
    int payloadBytes;
    int liveClients;
    int liveRate;
    int liveDurationSeconds;
    int liveWarmupSeconds;
    String nodeCommand;
    String loadAverage = "";
    String nodeLog;
    int nodeExitCode = Integer.MIN_VALUE;
    int nodeNoteworthyLines;
    List<String> nodeNoteworthy = List.of();
    String metrics = "";
    final List<SizeResult> sizes = new ArrayList<>();
    final List<LiveRun> live = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    String toText()
    {
        final StringBuilder t = new StringBuilder(4096);
        t.append("== Ringcast replay benchmarks ==\n").append(setup).append('\n');
        t.append("node: ").append(nodeCommand).append('\n');
        t.append("load average (1/5/15 min) at the start: ").append(loadAverage).append(" (the host may be shared)\n");

        t.append("\njournal fill: ").append(payloadBytes).append(" B text payloads on \"")
            .append(ReplayBenchOptions.REPLAY_TOPIC).append("\", one pipelined ingest connection, window ")
            .append(num(windowFrames)).append('\n');
        t.append(String.format(Locale.ROOT, "  %-12s %-12s %9s %12s%n", "journal", "added", "seconds", "msg/s"));
        for (final SizeResult s : sizes)
        {
            if (s.fill != null)
            {
                t.append(String.format(Locale.ROOT, "  %-12s %-12s %9.2f %12s%n", num(s.size), num(s.fill.count()),
                    s.fill.elapsedNs() / 1e9, num((long)s.fill.messagesPerSecond())));
            }
        }

        t.append("\ntime from subscribe(from=F) to the first replayed message (after the subscribed reply), ")
            .append(trialsPerPoint).append(" trials per point, fresh connection each, ms\n");
        t.append(String.format(Locale.ROOT, "  %-12s %-14s %8s %8s %16s%n", "journal", "from", "median", "max", "subscribed med."));
        final double[] sizeMedianMs = new double[sizes.size()];
        for (int i = 0; i < sizes.size(); i++)
        {
            final SizeResult s = sizes.get(i);
            for (final long from : s.fromPoints())
            {
                t.append(String.format(Locale.ROOT, "  %-12s %-14s %8.3f %8.3f %16.3f%n", num(s.size), num(from),
                    ms(median(s.firstMessageNs(from))), ms(max(s.firstMessageNs(from))), ms(median(s.subscribedNs(from)))));
            }
            final long[] plain = s.plainSubscribeNs.stream().mapToLong(Long::longValue).toArray();
            if (plain.length > 0)
            {
                t.append(String.format(Locale.ROOT, "  %-12s %-14s %8.3f %8.3f %16s%n", num(s.size),
                    "no from (ref.)", ms(median(plain)), ms(max(plain)), "= subscribed"));
            }
            final long[] all = s.firstMessageNs(-1);
            if (all.length > 0)
            {
                sizeMedianMs[i] = ms(median(all));
                t.append(String.format(Locale.ROOT, "  %-12s %-14s %8.3f %8.3f %16s  goal < %.0f ms: %s%n", num(s.size),
                    "all points", ms(median(all)), ms(max(all)), "", FIRST_MESSAGE_GOAL_MS,
                    ms(max(all)) < FIRST_MESSAGE_GOAL_MS ? "met (max)" :
                        ms(median(all)) < FIRST_MESSAGE_GOAL_MS ? "met (median), max over" : "NOT met"));
            }
        }
        if (sizes.size() >= 2 && sizeMedianMs[0] > 0 && sizeMedianMs[sizes.size() - 1] > 0)
        {
            t.append(String.format(Locale.ROOT, "  median %s vs %s: x%.2f%n", num(sizes.get(sizes.size() - 1).size),
                num(sizes.get(0).size), sizeMedianMs[sizes.size() - 1] / sizeMedianMs[0]));
        }

        t.append("\nreplay throughput to one client (subscribe from=0, blocking reader, ids checked dense)\n");
        t.append(String.format(Locale.ROOT, "  %-12s %-11s %10s %9s %12s %9s%n",
            "journal", "messages", "first ms", "seconds", "msg/s", "MiB/s"));
        for (final SizeResult s : sizes)
        {
            final ReplayProbe.Throughput r = s.throughput;
            if (r != null)
            {
                t.append(String.format(Locale.ROOT, "  %-12s %-11s %10.3f %9.2f %12s %9.1f  goal >= %s msg/s: %s%n",
                    num(s.size), num(r.messages()), ms(r.firstMessageNs()), r.streamNs() / 1e9,
                    num((long)r.messagesPerSecond()), r.megabytesPerSecond(), num((long)THROUGHPUT_GOAL),
                    r.messagesPerSecond() >= THROUGHPUT_GOAL ? "met" : "NOT met"));
            }
        }
        t.append("  (MiB/s counts the whole WebSocket text payload: JSON envelope + ").append(payloadBytes)
            .append(" B data)\n");

        if (!live.isEmpty())
        {
            t.append("\nlive clients: ").append(liveClients).append(" clients on \"").append(ReplayBenchOptions.LIVE_TOPIC)
                .append("\", ").append(num(liveRate)).append(" msg/s, ").append(liveDurationSeconds).append(" s (+")
                .append(liveWarmupSeconds).append(" s warm-up), publish-to-receive latency in us; ")
                .append("'replaying' = one more client replaying \"r\" from 0 in a loop\n");
            t.append(String.format(Locale.ROOT, "  %-6s %-10s %8s %8s %9s %8s %6s %16s %7s  %s%n",
                "round", "mode", "p50", "p99", "p99.9", "max", "clean", "replay msg/s", "passes", "load avg before"));
            for (final LiveRun run : live)
            {
                t.append(String.format(Locale.ROOT, "  %-6d %-10s %8d %8d %9d %8d %6s %16s %7s  %s%n", run.round,
                    run.replaying ? "replaying" : "alone", run.p50Us, run.p99Us, run.p999Us, run.maxUs, run.clean ? "yes" : "NO",
                    run.replaying ? num((long)run.replayMessagesPerSecond) : "-",
                    run.replaying ? Long.toString(run.replayPasses) : "-", run.loadAverage));
                if (run.replayFailures > 0)
                {
                    t.append("         replay loop failures: ").append(run.replayFailures).append(", last: ")
                        .append(run.replayFailure).append('\n');
                }
            }
            final long aloneP99 = median(live.stream().filter(r -> !r.replaying).mapToLong(r -> r.p99Us).toArray());
            final long withP99 = median(live.stream().filter(r -> r.replaying).mapToLong(r -> r.p99Us).toArray());
            if (aloneP99 > 0 && withP99 > 0)
            {
                final double ratio = withP99 / (double)aloneP99;
                t.append(String.format(Locale.ROOT, "  median p99: alone %d us, replaying %d us, ratio %.2f  goal <= %.2f: %s%n",
                    aloneP99, withP99, ratio, LIVE_P99_RATIO_GOAL, ratio <= LIVE_P99_RATIO_GOAL ? "met" : "NOT met"));
            }
        }

        if (!metrics.isEmpty())
        {
            t.append("\nnode counters at the end:");
            for (final String line : metrics.split("\n"))
            {
                if (!line.startsWith("#") && (line.contains("replay") || line.contains("catchup") ||
                    line.contains("closes") || line.contains("journaled") || line.contains("connections_")))
                {
                    t.append("\n  ").append(line);
                }
            }
            t.append('\n');
        }
        t.append("\nnode log: ").append(nodeLog).append(", exit code after SIGTERM ")
            .append(nodeExitCode == Integer.MIN_VALUE ? "?" : nodeExitCode == -1 ? "none (killed)" : Integer.toString(nodeExitCode))
            .append(", ").append(nodeNoteworthyLines).append(" lines with warnings/errors/exceptions/closes\n");
        for (final String line : nodeNoteworthy)
        {
            t.append("  node> ").append(line).append('\n');
        }
        if (!errors.isEmpty())
        {
            t.append("\nERRORS:\n");
            for (final String error : errors)
            {
                t.append("  ").append(error).append('\n');
            }
        }
        return t.toString();
    }

    String toJson()
    {
        final StringBuilder j = new StringBuilder(8192).append('{');
        j.append("\"setup\":").append(quote(setup)).append(',');
        j.append("\"cores\":").append(cores).append(',');
        j.append("\"loadAverage\":").append(quote(loadAverage)).append(',');
        j.append("\"node\":").append(quote(nodeCommand)).append(',');
        j.append("\"payloadBytes\":").append(payloadBytes).append(',');
        j.append("\"windowFrames\":").append(windowFrames).append(',');
        j.append("\"goals\":{\"firstMessageMs\":").append(FIRST_MESSAGE_GOAL_MS).append(",\"throughputMsgPerSec\":")
            .append((long)THROUGHPUT_GOAL).append(",\"liveP99Ratio\":").append(LIVE_P99_RATIO_GOAL).append("},");
        j.append("\"sizes\":[");
        for (int i = 0; i < sizes.size(); i++)
        {
            final SizeResult s = sizes.get(i);
            j.append(i > 0 ? "," : "").append("{\"journalMessages\":").append(s.size)
                .append(",\"loadAverage\":").append(quote(s.loadAverage))
                .append(",\"plainSubscribeNs\":").append(s.plainSubscribeNs.toString().replace(" ", ""));
            if (s.fill != null)
            {
                j.append(",\"fill\":{\"added\":").append(s.fill.count()).append(",\"firstId\":").append(s.fill.firstId())
                    .append(",\"lastId\":").append(s.fill.lastId()).append(",\"elapsedNs\":").append(s.fill.elapsedNs())
                    .append(",\"msgPerSec\":").append(round(s.fill.messagesPerSecond())).append('}');
            }
            j.append(",\"firstMessage\":{\"trialsPerPoint\":").append(trialsPerPoint).append(",\"points\":[");
            final long[] points = s.fromPoints();
            for (int p = 0; p < points.length; p++)
            {
                final long[] ns = s.firstMessageNs(points[p]);
                j.append(p > 0 ? "," : "").append("{\"from\":").append(points[p]).append(",\"medianNs\":").append(median(ns))
                    .append(",\"maxNs\":").append(max(ns)).append(",\"subscribedMedianNs\":")
                    .append(median(s.subscribedNs(points[p]))).append(",\"trialsNs\":").append(Arrays.toString(ns).replace(" ", ""))
                    .append('}');
            }
            final long[] all = s.firstMessageNs(-1);
            j.append("],\"medianNs\":").append(median(all)).append(",\"maxNs\":").append(max(all)).append('}');
            if (s.throughput != null)
            {
                final ReplayProbe.Throughput r = s.throughput;
                j.append(",\"throughput\":{\"from\":").append(r.fromId()).append(",\"messages\":").append(r.messages())
                    .append(",\"lastId\":").append(r.lastId()).append(",\"firstMessageNs\":").append(r.firstMessageNs())
                    .append(",\"streamNs\":").append(r.streamNs()).append(",\"msgPerSec\":").append(round(r.messagesPerSecond()))
                    .append(",\"wsPayloadMiBPerSec\":").append(round(r.megabytesPerSecond())).append('}');
            }
            j.append('}');
        }
        j.append("],\"live\":{\"clients\":").append(liveClients).append(",\"rate\":").append(liveRate)
            .append(",\"durationSeconds\":").append(liveDurationSeconds).append(",\"warmupSeconds\":").append(liveWarmupSeconds)
            .append(",\"runs\":[");
        for (int i = 0; i < live.size(); i++)
        {
            final LiveRun run = live.get(i);
            j.append(i > 0 ? "," : "").append("{\"round\":").append(run.round).append(",\"mode\":")
                .append(quote(run.replaying ? "replaying" : "alone")).append(",\"p50Us\":").append(run.p50Us)
                .append(",\"p99Us\":").append(run.p99Us).append(",\"p999Us\":").append(run.p999Us).append(",\"maxUs\":")
                .append(run.maxUs).append(",\"clean\":").append(run.clean).append(",\"replayMsgPerSec\":")
                .append(round(run.replayMessagesPerSecond)).append(",\"replayPasses\":").append(run.replayPasses)
                .append(",\"replayFailures\":").append(run.replayFailures)
                .append(",\"loadAverage\":").append(quote(run.loadAverage)).append(",\"load\":")
                .append(run.loadJson == null ? "null" : run.loadJson).append('}');
        }
        final long aloneP99 = median(live.stream().filter(r -> !r.replaying).mapToLong(r -> r.p99Us).toArray());
        final long withP99 = median(live.stream().filter(r -> r.replaying).mapToLong(r -> r.p99Us).toArray());
        j.append("],\"medianP99AloneUs\":").append(aloneP99).append(",\"medianP99ReplayingUs\":").append(withP99)
            .append(",\"p99Ratio\":").append(aloneP99 > 0 ? round(withP99 / (double)aloneP99) : 0).append("},");
        j.append("\"nodeLog\":").append(quote(nodeLog)).append(",\"nodeExitCode\":").append(nodeExitCode)
            .append(",\"nodeNoteworthyLines\":").append(nodeNoteworthyLines).append(",\"nodeNoteworthy\":[");
        for (int i = 0; i < nodeNoteworthy.size(); i++)
        {
            j.append(i > 0 ? "," : "").append(quote(nodeNoteworthy.get(i)));
        }
        j.append("],\"metrics\":").append(quote(metrics)).append(",\"errors\":[");
        for (int i = 0; i < errors.size(); i++)
        {
            j.append(i > 0 ? "," : "").append(quote(errors.get(i)));
        }
        return j.append("]}").toString();
    }

    static long median(final long[] values)
    {
        if (values.length == 0)
        {
            return 0;
        }
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static long max(final long[] values)
    {
        return Arrays.stream(values).max().orElse(0);
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }

    private static String num(final long value)
    {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static double round(final double value)
    {
        return Math.round(value * 100) / 100.0;
    }

    private static String quote(final String text)
    {
        if (text == null)
        {
            return "null";
        }
        final StringBuilder q = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
