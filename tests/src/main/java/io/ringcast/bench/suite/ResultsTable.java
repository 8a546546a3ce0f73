package io.ringcast.bench.suite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the suite's runs into medians per scenario and server, a markdown results table (Ringcast next to the
 * baseline for every scenario), and a goals table (the goal, Ringcast's median, met or missed by how much).
 * <p>
 * Every numeric cell is the median over the repeats. Close codes and the plotted latency distribution come from the
 * representative run: the one whose p99 (or the scenario's main figure when it has no latency) is the median.
 */
final class ResultsTable
{
    private final List<Scenario> scenarios;
    private final List<String> servers;
    private final List<RunFigures> runs;

    ResultsTable(final List<Scenario> scenarios, final List<String> servers, final List<RunFigures> runs)
    {
        this.scenarios = scenarios;
        this.servers = servers;
        this.runs = runs;
    }

    /** The runs of one scenario on one server. */
    List<RunFigures> runsOf(final Scenario scenario, final String server)
    {
        final List<RunFigures> selected = new ArrayList<>();
        for (final RunFigures run : runs)
        {
            if (run.scenarioId.equals(scenario.id()) && run.server.equals(server))
            {
                selected.add(run);
            }
        }
        return selected;
    }

    /** The median of a figure over a scenario's runs on a server; NaN without runs. */
    double median(final Scenario scenario, final String server, final String path)
    {
        final double[] values = runsOf(scenario, server).stream().mapToDouble(run -> run.num(path))
            .filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** The run whose main figure is the median (the lower middle for an even count), or null without runs. */
    RunFigures representative(final Scenario scenario, final String server)
    {
        final String key = mainFigure(scenario);
        final List<RunFigures> sorted = new ArrayList<>(runsOf(scenario, server));
        if (sorted.isEmpty())
        {
            return null;
        }
        sorted.sort(Comparator.comparingDouble(run -> run.num(key)));
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** The markdown results table. */
    String markdown()
    {
        final StringBuilder md = new StringBuilder()
            .append("| scenario | server | runs | deliveries/s | p50 ms | p99 ms | p99.9 ms | max ms | missing | dup | ")
            .append("out-of-order | clients closed | node RSS MiB | node CPU % | notes |\n")
            .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|\n");
        for (final Scenario scenario : scenarios)
        {
            for (final String server : servers)
            {
                final RunFigures rep = representative(scenario, server);
                if (rep == null)
                {
                    continue;
                }
                final boolean latency = scenario.latency();
                final boolean measured = median(scenario, server, "latencyUs.count") > 0;
                md.append("| ").append(scenario.title()).append(" | ").append(server)
                    .append(" | ").append(runsOf(scenario, server).size())
                    .append(" | ").append(latency ? rate(median(scenario, server, "deliveriesPerSecond")) : "-")
                    .append(" | ").append(latency ? (measured ? ms(median(scenario, server, "latencyUs.p50")) : "n/a") : "-")
                    .append(" | ").append(latency ? (measured ? ms(median(scenario, server, "latencyUs.p99")) : "n/a") : "-")
                    .append(" | ").append(latency ? (measured ? ms(median(scenario, server, "latencyUs.p99_9")) : "n/a") : "-")
                    .append(" | ").append(latency ? (measured ? ms(median(scenario, server, "latencyUs.max")) : "n/a") : "-")
                    .append(" | ").append(count(median(scenario, server, "missing")))
                    .append(" | ").append(count(median(scenario, server, "duplicates")))
                    .append(" | ").append(count(median(scenario, server, "outOfOrder")))
                    .append(" | ").append(closed(scenario, server, rep))
                    .append(" | ").append(number(median(scenario, server, "node.rssAfterKiB") / 1024, 0))
                    .append(" | ").append(number(median(scenario, server, "node.cpuPercent"), 0))
                    .append(" | ").append(notes(scenario, server)).append(" |\n");
            }
        }
        return md.toString();
    }

    /** The goals table: each scenario's goal, Ringcast's medians against it, and the baseline's for comparison. */
    String goals()
    {
        final StringBuilder md = new StringBuilder()
            .append("| scenario | goal (Ringcast) | ringcast | verdict | baseline |\n")
            .append("|---|---|---|---|---|\n");
        for (final Scenario scenario : scenarios)
        {
            if (scenario.id().equals("e-none"))
            {
                continue;
            }
            md.append("| ").append(scenario.title()).append(" | ").append(scenario.goal())
                .append(" | ").append(goalFigures(scenario, "ringcast"))
                .append(" | ").append(servers.contains("ringcast") ? verdict(scenario) : "not run")
                .append(" | ").append(servers.contains("baseline") ? goalFigures(scenario, "baseline") : "not run")
                .append(" |\n");
        }
        return md.toString();
    }

    private String goalFigures(final Scenario scenario, final String server)
    {
        if (runsOf(scenario, server).isEmpty())
        {
            return "not run";
        }
        final String loss = "missing " + count(median(scenario, server, "missing"));
        return switch (scenario.id())
        {
            case "a" -> "p99 " + msIfMeasured(scenario, server) + " ms, " + loss;
            case "b" -> rate(median(scenario, server, "deliveriesPerSecond")) + " deliveries/s, " + loss;
            case "c" -> "p99 " + msIfMeasured(scenario, server) + " ms, " + loss + ", closed " +
                count(median(scenario, server, "clientsClosedByServer"));
            case "d" -> number(median(scenario, server, "node.rssBytesPerConnection"), 0) + " B/connection";
            case "e-stall" -> "live p99 " + ms(median(scenario, server, "latencyUs.p99")) + " ms vs " +
                ms(median(byId("e-none"), server, "latencyUs.p99")) + " ms without stall; stalled got " +
                count(median(scenario, server, "stalled.deliveries")) + " of " +
                count(median(scenario, server, "stalled.expected")) + ", closed " +
                count(median(scenario, server, "stalled.closedByServer"));
            case "f" -> rate(median(scenario, server, "publishedPerSecond")) + " msg/s";
            default -> "";
        };
    }

    private String msIfMeasured(final Scenario scenario, final String server)
    {
        return median(scenario, server, "latencyUs.count") > 0 ? ms(median(scenario, server, "latencyUs.p99")) : "n/a";
    }

    private String verdict(final Scenario scenario)
    {
        final String server = "ringcast";
        if (runsOf(scenario, server).isEmpty())
        {
            return "not run";
        }
        final double missing = median(scenario, server, "missing");
        final double p99Ms = median(scenario, server, "latencyUs.p99") / 1000;
        final List<String> misses = new ArrayList<>();
        switch (scenario.id())
        {
            case "a" -> checkAtMost(misses, "p99", p99Ms, 36, "ms");
            case "b" -> checkAtLeast(misses, "deliveries/s", median(scenario, server, "deliveriesPerSecond"), 5e6);
            case "c" ->
            {
                checkAtMost(misses, "p99", p99Ms, 3.5, "ms");
                checkAtMost(misses, "clients closed", median(scenario, server, "clientsClosedByServer"), 0, "");
            }
            case "d" -> checkAtMost(misses, "RSS/connection", median(scenario, server, "node.rssBytesPerConnection"),
                4096, "B");
            case "e-stall" ->
            {
                final double reference = median(byId("e-none"), server, "latencyUs.p99") / 1000;
                checkAtMost(misses, "live p99", p99Ms, 1.2 * reference, "ms");
                checkAtMost(misses, "stalled client missing", median(scenario, server, "stalled.missing"), 0, "");
            }
            case "f" -> checkAtLeast(misses, "msg/s", median(scenario, server, "publishedPerSecond"), 1e6);
            default ->
            {
            }
        }
        if (scenario.latency())
        {
            checkAtMost(misses, "missing", missing, 0, "");
        }
        return misses.isEmpty() ? "met" : "MISSED: " + String.join("; ", misses);
    }

    private static void checkAtMost(final List<String> misses, final String what, final double value, final double goal,
        final String unit)
    {
        if (Double.isNaN(value) || value > goal)
        {
            misses.add(what + " " + number(value, value < 10 ? 2 : 0) + unit + " > " + number(goal, goal < 10 ? 2 : 0) +
                unit + (goal > 0 && !Double.isNaN(value) ? " (" + number(value / goal, 1) + "x)" : ""));
        }
    }

    private static void checkAtLeast(final List<String> misses, final String what, final double value, final double goal)
    {
        if (Double.isNaN(value) || value < goal)
        {
            misses.add(what + " " + rate(value) + " < " + rate(goal) + " (" + number(100 * value / goal, 0) + "% of goal)");
        }
    }

    private String notes(final Scenario scenario, final String server)
    {
        final List<String> notes = new ArrayList<>();
        final List<RunFigures> all = runsOf(scenario, server);
        switch (scenario.id())
        {
            case "b", "c", "a", "e-none", "e-stall" ->
                notes.add("published " + rate(median(scenario, server, "publishedPerSecond")) + " msg/s");
            case "d" -> notes.add(number(median(scenario, server, "node.rssBytesPerConnection"), 0) + " B/connection (RSS " +
                number(median(scenario, server, "node.rssBeforeConnectKiB") / 1024, 0) + " -> " +
                number(median(scenario, server, "node.rssAfterKiB") / 1024, 0) + " MiB, " +
                count(median(scenario, server, "clientsSubscribed")) + " subscribed)");
            case "f" -> notes.add("ingest " + rate(median(scenario, server, "publishedPerSecond")) + " msg/s acknowledged");
            default ->
            {
            }
        }
        if (scenario.id().equals("e-stall"))
        {
            notes.add("stalled client got " + count(median(scenario, server, "stalled.deliveries")) + " of " +
                count(median(scenario, server, "stalled.expected")) + ", closed " +
                count(median(scenario, server, "stalled.closedByServer")) + " " +
                codes(representative(scenario, server).object("stalled.closeCodes")));
        }
        final long saturated = all.stream().filter(run -> run.flag("receiverSaturated")).count();
        if (saturated > 0)
        {
            notes.add("load generator saturated in " + saturated + "/" + all.size() + " runs");
        }
        final long incomplete = all.stream().filter(run -> !run.flag("drainComplete")).count();
        if (incomplete > 0)
        {
            notes.add("drain incomplete in " + incomplete + "/" + all.size());
        }
        final long withErrors = all.stream().filter(run -> !run.strings("errors").isEmpty()).count();
        if (withErrors > 0)
        {
            notes.add("errors in " + withErrors + "/" + all.size() + ": " +
                all.stream().flatMap(run -> run.strings("errors").stream()).findFirst().orElse(""));
        }
        return String.join("; ", notes);
    }

    private String closed(final Scenario scenario, final String server, final RunFigures rep)
    {
        final double median = median(scenario, server, "clientsClosedByServer");
        final Map<String, Object> codes = rep.object("closeCodes");
        final String codesText = codes(codes);
        return count(median) + (codesText.isEmpty() || median == 0 ? "" : " " + codesText);
    }

    /** Close codes as {@code 4001x12, 1006x3}; the server's 1000s at the end of a run are the client's own closes. */
    private static String codes(final Map<String, Object> codes)
    {
        final List<String> parts = new ArrayList<>();
        for (final Map.Entry<String, Object> entry : codes.entrySet())
        {
            parts.add(entry.getKey() + "x" + count(((Number)entry.getValue()).doubleValue()));
        }
        return parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")";
    }

    private Scenario byId(final String id)
    {
        return Scenario.all().stream().filter(scenario -> scenario.id().equals(id)).findFirst().orElseThrow();
    }

    private static String mainFigure(final Scenario scenario)
    {
        return switch (scenario.id())
        {
            case "d" -> "node.rssBytesPerConnection";
            case "f" -> "publishedPerSecond";
            default -> "latencyUs.p99";
        };
    }

    static String ms(final double us)
    {
        if (Double.isNaN(us))
        {
            return "n/a";
        }
        final double ms = us / 1000;
        return number(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0);
    }

    static String rate(final double perSecond)
    {
        if (Double.isNaN(perSecond))
        {
            return "n/a";
        }
        if (perSecond >= 1e6)
        {
            return number(perSecond / 1e6, 2) + "M";
        }
        if (perSecond >= 1e3)
        {
            return number(perSecond / 1e3, 1) + "k";
        }
        return number(perSecond, 0);
    }

    static String count(final double value)
    {
        return Double.isNaN(value) ? "n/a" : value == Math.rint(value) ? Long.toString((long)value) : number(value, 1);
    }

    static String number(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
