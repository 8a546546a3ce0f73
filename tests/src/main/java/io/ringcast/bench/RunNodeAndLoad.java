package io.ringcast.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts a Ringcast node as a separate process on loopback with ephemeral ports and a temporary journal, runs
 * {@link LoadGenerator} in this process against it (passing the node's pid for its RSS and CPU), prints the report,
 * then stops the node with SIGTERM and deletes the journal.
 * <p>
 * Flags: {@code --jar PATH} (default {@code engine/target/ringcast.jar}), {@code --node-jvm "FLAGS"} (extra JVM flags
 * for the node, space-separated, e.g. {@code -Xmx1g}), {@code --node-log FILE} (default: a file in the temp dir);
 * every other flag goes to {@link LoadOptions} ({@code --ws-url}, {@code --ingest} and {@code --node-pid} are filled
 * in). The node's output goes to the log; warnings, errors and exceptions in it are summarised after the report.
 * Exit code as {@link LoadGenerator}, or 3 when the node did not stop cleanly.
 */
public final class RunNodeAndLoad
{
    private static final Pattern LISTENING =
        Pattern.compile("^ringcast: (http|ingest) listening on (\\S+):(\\d+)\\s*$");
    private static final Pattern NOTEWORTHY = Pattern.compile("SEVERE|WARNING|WARN|ERROR|Exception|Error|closing with");
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 15;
    private static final int MAX_NOTEWORTHY_LINES = 40;

    private RunNodeAndLoad()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        Path jar = Path.of("engine/target/ringcast.jar");
        final List<String> nodeJvmFlags = new ArrayList<>();
        Path nodeLog = null;
        final List<String> loadArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final boolean hasValue = i + 1 < args.length;
            switch (args[i])
            {
                case "--jar" -> jar = Path.of(value(args, ++i, hasValue));
                case "--node-jvm" -> nodeJvmFlags.addAll(Arrays.asList(value(args, ++i, hasValue).trim().split("\\s+")));
                case "--node-log" -> nodeLog = Path.of(value(args, ++i, hasValue));
                default -> loadArgs.add(args[i]);
            }
        }
        if (!Files.isRegularFile(jar))
        {
            System.err.println("RunNodeAndLoad: node jar not found: " + jar.toAbsolutePath() + " (build with mvn install)");
            System.exit(2);
            return;
        }

        final Path journalDir = Files.createTempDirectory("ringcast-bench-journal");
        final Path log = nodeLog != null ? nodeLog : Files.createTempFile("ringcast-bench-node", ".log");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        nodeJvmFlags.removeIf(String::isEmpty);
        command.addAll(nodeJvmFlags);
        command.addAll(List.of("-jar", jar.toString(), "--http-port", "0", "--http-bind", "127.0.0.1",
            "--ingest-port", "0", "--ingest-bind", "127.0.0.1", "--journal-dir", journalDir.toString()));
        System.out.println("node: " + String.join(" ", command));
        System.out.println("node log: " + log);

        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final NodeOutput output = new NodeOutput(process, log);
        final Thread pump = new Thread(output, "node-output");
        pump.setDaemon(true);
        pump.start();

        int exitCode;
        try
        {
            final String[] addresses = output.listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            loadArgs.addAll(List.of("--ws-url", addresses[0], "--ingest", addresses[1],
                "--node-pid", Long.toString(process.pid())));
            final LoadOptions options = LoadOptions.parse(loadArgs.toArray(new String[0]));
            System.out.println("load: " + String.join(" ", loadArgs));
            final LoadReport report = LoadGenerator.run(options);
            System.out.print(report.toText());
            LoadGenerator.writeJson(options, report);
            exitCode = report.clean() ? 0 : 1;
        }
        catch (final TimeoutException ex)
        {
            System.err.println("RunNodeAndLoad: the node did not report its listeners within " + START_TIMEOUT_SECONDS + " s");
            exitCode = 3;
        }
        catch (final ExecutionException ex)
        {
            System.err.println("RunNodeAndLoad: the node failed to start: " + ex.getCause().getMessage());
            exitCode = 3;
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("RunNodeAndLoad: " + ex.getMessage());
            System.err.print(LoadOptions.usage());
            exitCode = 2;
        }
        finally
        {
            process.destroy();
        }

        final boolean exited = process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited)
        {
            System.out.println("node: still running " + STOP_TIMEOUT_SECONDS + " s after SIGTERM, killing it");
            process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            exitCode = Math.max(exitCode, 3);
        }
        else
        {
            System.out.println("node: exited with " + process.exitValue() + " after SIGTERM");
            if (process.exitValue() != 0 && exitCode == 0)
            {
                exitCode = 3;
            }
        }
        pump.join(5_000);
        output.printSummary();
        deleteRecursively(journalDir);
        System.exit(exitCode);
    }

    private static String value(final String[] args, final int index, final boolean hasValue)
    {
        if (!hasValue)
        {
            throw new IllegalArgumentException(args[index - 1] + ": missing value");
        }
        return args[index];
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Copies the node's output to the log, finds the listener lines, and keeps the noteworthy lines. */
    private static final class NodeOutput implements Runnable
    {
        final CompletableFuture<String[]> listening = new CompletableFuture<>();
        private final Process process;
        private final Path log;
        private final List<String> noteworthy = new ArrayList<>();
        private final String[] addresses = new String[2];
        private int noteworthyCount;
        private int lines;

        NodeOutput(final Process process, final Path log)
        {
            this.process = process;
            this.log = log;
        }

        @Override
        public void run()
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    out.println(line);
                    out.flush();
                    onLine(line);
                }
            }
            catch (final IOException ex)
            {
                listening.completeExceptionally(ex);
            }
            listening.completeExceptionally(new IOException("node output ended before its listener lines"));
        }

        private synchronized void onLine(final String line)
        {
            lines++;
            final Matcher matcher = LISTENING.matcher(line);
            if (matcher.matches())
            {
                addresses["http".equals(matcher.group(1)) ? 0 : 1] = matcher.group(2) + ":" + matcher.group(3);
                if (addresses[0] != null && addresses[1] != null)
                {
                    listening.complete(addresses.clone());
                }
            }
            if (NOTEWORTHY.matcher(line).find())
            {
                noteworthyCount++;
                if (noteworthy.size() < MAX_NOTEWORTHY_LINES)
                {
                    noteworthy.add(line);
                }
            }
        }

        synchronized void printSummary()
        {
            System.out.println("node log: " + lines + " lines, " + noteworthyCount +
                " with warnings, errors, exceptions or client closes (" + log + ")");
            for (final String line : noteworthy)
            {
                System.out.println("  node> " + line);
            }
        }
    }
}
