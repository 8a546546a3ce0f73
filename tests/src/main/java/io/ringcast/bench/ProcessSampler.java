package io.ringcast.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads another process's memory and CPU from Linux {@code /proc}: {@code VmRSS}/{@code VmHWM} from
 * {@code /proc/PID/status} and {@code utime + stime} from {@code /proc/PID/stat}. Not for hot paths.
 */
final class ProcessSampler
{
    /** One reading; {@code cpuNs} is user + system CPU time of the whole process. */
    record Sample(long rssKiB, long peakRssKiB, long cpuNs)
    {
    }

    private final long pid;
    private final long clockTicksPerSecond;

    ProcessSampler(final long pid)
    {
        this.pid = pid;
        this.clockTicksPerSecond = clockTicksPerSecond();
    }

    /** The current reading, or null when the process is gone or {@code /proc} is unreadable. */
    Sample sample()
    {
        try
        {
            long rssKiB = -1;
            long peakKiB = -1;
            final List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (final String line : status)
            {
                if (line.startsWith("VmRSS:"))
                {
                    rssKiB = kibibytes(line);
                }
                else if (line.startsWith("VmHWM:"))
                {
                    peakKiB = kibibytes(line);
                }
            }
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces: state is field 3,
            // utime field 14 and stime field 15, i.e. indexes 11 and 12 after the ')'.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return new Sample(rssKiB, peakKiB, ticks * 1_000_000_000L / clockTicksPerSecond);
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    private static long kibibytes(final String line)
    {
        final String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    /** {@code getconf CLK_TCK}, or 100 (the Linux default) when that fails. */
    private static long clockTicksPerSecond()
    {
        try
        {
            final Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            try (InputStream in = process.getInputStream())
            {
                final String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                process.waitFor();
                return Long.parseLong(text);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return 100;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
