package io.ringcast.bench.suite;

import java.util.List;

/**
 * One scenario of the suite: its id (a letter as in the benchmark issue, plus a variant), what it shows, the goal the
 * issue sets for Ringcast, and the load generator flags that make it. Immutable.
 *
 * @param id        short id used in file names, e.g. {@code a} or {@code e-stall}.
 * @param title     one line for tables and plots.
 * @param goal      the Ringcast goal, as stated in the issue.
 * @param loadArgs  {@code LoadOptions} flags (without addresses, duration, warm-up or output).
 * @param latency   whether the scenario measures delivery latency (and gets a plot panel).
 */
record Scenario(String id, String title, String goal, List<String> loadArgs, boolean latency)
{
    /** The scenarios of the issue, in order. */
    static List<Scenario> all()
    {
        return List.of(
            new Scenario("a", "(a) 1,000 clients @ 1,000 msg/s, 100 B", "p99 <= 36 ms, zero loss",
                List.of("--clients", "1000", "--rate", "1000", "--size", "100"), true),
            new Scenario("b", "(b) 1,000 clients, flat out, 100 B", ">= 5M deliveries/s, zero loss",
                List.of("--clients", "1000", "--rate", "0", "--size", "100"), true),
            new Scenario("c", "(c) 100 clients @ 20,000 msg/s, 100 B", "p99 <= 3.5 ms, zero loss, zero clients closed",
                List.of("--clients", "100", "--rate", "20000", "--size", "100"), true),
            new Scenario("d", "(d) 10,000 idle connections", "<= 4 KiB RSS per connection",
                List.of("--clients", "10000", "--idle"), false),
            new Scenario("e-none", "(e) 100 clients @ 1,000 msg/s, 1 KiB, none stalled", "reference for e-stall",
                List.of("--clients", "100", "--rate", "1000", "--size", "1024"), true),
            new Scenario("e-stall", "(e) 100 clients @ 1,000 msg/s, 1 KiB, 1 stalled",
                "live p99 <= 1.2x e-none; stalled client gets every message once it reads",
                List.of("--clients", "100", "--rate", "1000", "--size", "1024", "--stall", "1"), true),
            new Scenario("f", "(f) ingest only, one pipelined publisher, 100 B", ">= 1M msg/s journaled and acknowledged",
                List.of("--clients", "0", "--rate", "0", "--size", "100", "--window", "16384"), false));
    }
}
