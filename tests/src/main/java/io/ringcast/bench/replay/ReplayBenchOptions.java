package io.ringcast.bench.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The settings of {@link ReplayBench}, parsed and validated once.
 * <p>
 * Flags: {@code --sizes 1000000,10000000} (journal sizes, ascending: one journal grows through them),
 * {@code --quick} (sizes 200000,2000000, 3 trials, one live round of 5 s), {@code --trials T} (time-to-first trials
 * per point, default 5), {@code --window W} (unanswered ingest frames while filling, default 5,000),
 * {@code --payload B} (default 100), {@code --replay-max M} (messages read in the throughput test, default
 * 2,000,000), {@code --live-clients C} (100), {@code --live-rate R} (1,000 msg/s), {@code --live-duration S} (10),
 * {@code --live-warmup S} (2), {@code --live-rounds K} (3), {@code --json-out FILE}, {@code --jar PATH}
 * (default {@code engine/target/ringcast.jar}), {@code --node-jvm "FLAGS"} (default {@code -Xmx1g}),
 * {@code --node-log FILE}.
 */
final class ReplayBenchOptions
{
    static final String REPLAY_TOPIC = "r";
    static final String LIVE_TOPIC = "bench";

    long[] sizes = {1_000_000, 10_000_000};
    boolean quick;
    int trials = 5;
    int windowFrames = 5_000;
    int payloadBytes = 100;
    long replayMax = 2_000_000;
    int liveClients = 100;
    int liveRate = 1_000;
    int liveDurationSeconds = 10;
    int liveWarmupSeconds = 2;
    int liveRounds = 3;
    Path jsonOut;
    Path jar = Path.of("engine/target/ringcast.jar");
    List<String> nodeJvmFlags = new ArrayList<>(List.of("-Xmx1g"));
    Path nodeLog;

    private ReplayBenchOptions()
    {
    }

    /** @throws IllegalArgumentException naming the flag. */
    static ReplayBenchOptions parse(final String[] args)
    {
        final ReplayBenchOptions options = new ReplayBenchOptions();
        boolean sizesGiven = false;
        boolean trialsGiven = false;
        boolean roundsGiven = false;
        boolean durationGiven = false;
        for (int i = 0; i < args.length; i++)
        {
            final String flag = args[i];
            if ("--quick".equals(flag))
            {
                options.quick = true;
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(flag + ": missing value");
            }
            final String value = args[++i];
            switch (flag)
            {
                case "--sizes" ->
                {
                    options.sizes = Arrays.stream(value.split(",")).mapToLong(s -> number(flag, s.trim(), 10_000, 1_000_000_000L)).toArray();
                    sizesGiven = true;
                }
                case "--trials" ->
                {
                    options.trials = (int)number(flag, value, 1, 1_000);
                    trialsGiven = true;
                }
                case "--window" -> options.windowFrames = (int)number(flag, value, 1, 1_000_000);
                case "--payload" -> options.payloadBytes = (int)number(flag, value, 16, 60_000);
                case "--replay-max" -> options.replayMax = number(flag, value, 1_000, Long.MAX_VALUE);
                case "--live-clients" -> options.liveClients = (int)number(flag, value, 1, 100_000);
                case "--live-rate" -> options.liveRate = (int)number(flag, value, 1, 10_000_000);
                case "--live-duration" ->
                {
                    options.liveDurationSeconds = (int)number(flag, value, 1, 3_600);
                    durationGiven = true;
                }
                case "--live-warmup" -> options.liveWarmupSeconds = (int)number(flag, value, 0, 3_600);
                case "--live-rounds" ->
                {
                    options.liveRounds = (int)number(flag, value, 0, 100);
                    roundsGiven = true;
                }
                case "--json-out" -> options.jsonOut = Path.of(value);
                case "--jar" -> options.jar = Path.of(value);
                case "--node-jvm" -> options.nodeJvmFlags = new ArrayList<>(Arrays.asList(value.trim().split("\\s+")));
                case "--node-log" -> options.nodeLog = Path.of(value);
                default -> throw new IllegalArgumentException(flag + ": unknown flag");
            }
        }
        if (options.quick)
        {
            if (!sizesGiven)
            {
                options.sizes = new long[]{200_000, 2_000_000};
            }
            if (!trialsGiven)
            {
                options.trials = 3;
            }
            if (!roundsGiven)
            {
                options.liveRounds = 1;
            }
            if (!durationGiven)
            {
                options.liveDurationSeconds = 5;
            }
        }
        for (int i = 1; i < options.sizes.length; i++)
        {
            if (options.sizes[i] <= options.sizes[i - 1])
            {
                throw new IllegalArgumentException("--sizes: must be ascending (one journal grows through them)");
            }
        }
        return options;
    }

    static String usage()
    {
        return "usage: ReplayBench [--quick] [--sizes N1,N2] [--trials T] [--window W] [--payload B] [--replay-max M]\n" +
            "       [--live-clients C] [--live-rate R] [--live-duration S] [--live-warmup S] [--live-rounds K]\n" +
            "       [--json-out FILE] [--jar PATH] [--node-jvm \"FLAGS\"] [--node-log FILE]\n";
    }

    private static long number(final String flag, final String value, final long min, final long max)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(flag + ": not an integer: " + value);
        }
        if (parsed < min || parsed > max)
        {
            throw new IllegalArgumentException(flag + ": " + value + " is outside [" + min + ", " + max + "]");
        }
        return parsed;
    }
}
