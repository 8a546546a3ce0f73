package io.ringcast.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node run as its own process from the engine jar, as users run it (for signals and crashes). */
final class ProcessNode implements AutoCloseable
{
    static final Path JAR = Path.of("..", "engine", "target", "ringcast.jar").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("ringcast: (http|ingest) listening on (.+):(\\d+)");

    final Process process;
    final Path log;
    int httpPort;
    int ingestPort;

    private ProcessNode(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    static ProcessNode start(final Path journalDir, final Path log, final String... extraFlags) throws IOException
    {
        return start(List.of(), journalDir, log, extraFlags);
    }

    /** @param jvmFlags JVM options, after the default {@code -Xmx256m} (a later one wins). */
    static ProcessNode start(
        final List<String> jvmFlags, final Path journalDir, final Path log, final String... extraFlags) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", JAR.toString(),
            "--http-port", "0", "--http-bind", "127.0.0.1", "--ingest-port", "0",
            "--journal-dir", journalDir.toString()));
        command.addAll(List.of(extraFlags));
        final Process process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        final ProcessNode node = new ProcessNode(process, log);
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        while (node.httpPort == 0 || node.ingestPort == 0)
        {
            final String line = out.readLine();
            if (line == null)
            {
                throw new IOException("node exited before listening (" + exitCodeOf(process) + "): " +
                    Files.readString(log));
            }
            final Matcher m = LISTENING.matcher(line);
            if (m.matches())
            {
                if (m.group(1).equals("http"))
                {
                    node.httpPort = Integer.parseInt(m.group(3));
                }
                else
                {
                    node.ingestPort = Integer.parseInt(m.group(3));
                }
            }
        }
        return node;
    }

    String wsUrl(final String query)
    {
        return "ws://127.0.0.1:" + httpPort + "/ws" + (query.isEmpty() ? "" : "?" + query);
    }

    /** Wait for the process to end; the exit code, or fail after the timeout. */
    int awaitExit(final long timeoutSeconds) throws InterruptedException
    {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            throw new AssertionError("node still running after " + timeoutSeconds + " s");
        }
        return process.exitValue();
    }

    void sigterm()
    {
        process.destroy();
    }

    void sigkill()
    {
        process.destroyForcibly();
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static int exitCodeOf(final Process process)
    {
        try
        {
            return process.waitFor();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
