package io.ringcast.bench;

import io.ringcast.bench.fuzz.ControlParserTarget;
import io.ringcast.bench.fuzz.FrameDecoderTarget;
import io.ringcast.bench.fuzz.FuzzTarget;
import io.ringcast.bench.fuzz.IngestDecoderTarget;
import io.ringcast.bench.fuzz.PublishDecisionTarget;
import io.ringcast.bench.fuzz.TextCodecTargets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fuzzes every decoder that takes bytes from outside with millions of randomized cases from a fixed seed, and
 * prints cases per second and every failure (with the case number that replays it).
 * <p>
 * Flags: {@code --cases N} per decoder (default 2,000,000), {@code --garbage-cases N} connections for
 * {@code ingest-garbage} (default cases / 200), {@code --seed S} (decimal or 0x hex, default 0x5EED),
 * {@code --only a,b} to run some decoders, {@code --replay NAME:CASE} to run one case alone and print its outcome.
 * Exit status 1 when any case failed.
 */
public final class FuzzBench
{
    private static final int FAILURES_SHOWN = 20;
    /** Kept so the level sticks: bad ingest lengths are logged at INFO, once per garbage connection. */
    private static final Logger INGEST_LOG = Logger.getLogger("io.ringcast.transport.ingest");

    private FuzzBench()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        long cases = 2_000_000;
        long garbageCases = -1;
        long seed = 0x5EED;
        List<String> only = null;
        String replay = null;
        for (int i = 0; i < args.length; i++)
        {
            final String flag = args[i];
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            final String value = args[++i];
            switch (flag)
            {
                case "--cases": cases = Long.parseLong(value.replace("_", "")); break;
                case "--garbage-cases": garbageCases = Long.parseLong(value.replace("_", "")); break;
                case "--seed": seed = value.startsWith("0x") ? Long.parseUnsignedLong(value.substring(2), 16) : Long.parseLong(value); break;
                case "--only": only = Arrays.asList(value.split(",")); break;
                case "--replay": replay = value; break;
                default: throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (garbageCases < 0)
        {
            garbageCases = Math.max(1, cases / 200);
        }
        INGEST_LOG.setLevel(Level.WARNING);

        final List<FuzzTarget> targets = List.of(
            new FrameDecoderTarget(), new ControlParserTarget(), new TextCodecTargets.Utf8(), new TextCodecTargets.Json(),
            new PublishDecisionTarget(), new IngestDecoderTarget.Frames(), new IngestDecoderTarget.Garbage());
        try
        {
            if (replay != null)
            {
                System.exit(replay(targets, seed, replay));
            }
            System.exit(runAll(targets, seed, cases, garbageCases, only));
        }
        finally
        {
            for (final FuzzTarget target : targets)
            {
                target.close();
            }
        }
    }

    private static int runAll(
        final List<FuzzTarget> targets, final long seed, final long cases, final long garbageCases, final List<String> only)
        throws Exception
    {
        System.out.printf(Locale.ROOT, "FuzzBench seed 0x%X, %,d cases per decoder (%,d garbage connections); %s %s, %d cpus%n",
            seed, cases, garbageCases, System.getProperty("java.vm.name"), System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-18s %14s %9s %9s %14s  %s%n", "decoder", "cases", "failures", "seconds",
            "cases/s", "what");
        final List<String> shown = new ArrayList<>();
        final AtomicLong totalFailures = new AtomicLong();
        long totalCases = 0;
        final long startAllNs = System.nanoTime();
        for (final FuzzTarget target : targets)
        {
            if (only != null && !only.contains(target.name()))
            {
                continue;
            }
            final long count = target instanceof IngestDecoderTarget.Garbage ? garbageCases : cases;
            final AtomicLong failures = new AtomicLong();
            final long startNs = System.nanoTime();
            target.run(seed, count, (name, caseNumber, what) ->
            {
                failures.incrementAndGet();
                synchronized (shown)
                {
                    if (shown.size() < FAILURES_SHOWN)
                    {
                        shown.add(name + ":" + caseNumber + "  " + (what.length() > 400 ? what.substring(0, 400) + "..." : what));
                    }
                }
            });
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            totalFailures.addAndGet(failures.get());
            totalCases += count;
            System.out.printf(Locale.ROOT, "%-18s %,14d %,9d %9.2f %,14.0f  %s%n", target.name(), count, failures.get(),
                seconds, count / seconds, target.description());
        }
        System.out.printf(Locale.ROOT, "%-18s %,14d %,9d %9.2f%n", "total", totalCases, totalFailures.get(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startAllNs) / 1e3);
        if (!shown.isEmpty())
        {
            System.out.println("failures (replay one with --seed 0x" + Long.toHexString(seed) + " --replay NAME:CASE):");
            shown.forEach(line -> System.out.println("  " + line));
        }
        return totalFailures.get() == 0 ? 0 : 1;
    }

    private static int replay(final List<FuzzTarget> targets, final long seed, final String replay)
    {
        final String name = replay.substring(0, replay.lastIndexOf(':'));
        final long caseNumber = Long.parseLong(replay.substring(replay.lastIndexOf(':') + 1));
        for (final FuzzTarget target : targets)
        {
            if (!target.name().equals(name))
            {
                continue;
            }
            if (target instanceof IngestDecoderTarget.Frames)
            {
                System.out.println("ingest-frames cases are pipelined on a connection: rerun with --only ingest-frames " +
                    "--cases " + (caseNumber + 1) + " to send every frame up to this one");
                return 0;
            }
            final String failure = target.runOne(seed, caseNumber);
            System.out.println(replay + ": " + (failure == null ? "passes" : failure));
            return failure == null ? 0 : 1;
        }
        throw new IllegalArgumentException("no decoder named " + name);
    }
}
