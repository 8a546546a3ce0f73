package io.ringcast.bench;

import io.ringcast.bench.baseline.HubServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server under test as a separate process on loopback with ephemeral ports: a Ringcast node
 * ({@code java -jar ringcast.jar}, with a temporary journal) or the baseline hub ({@link HubServer} on this JVM's
 * class path). Its output goes to a log file; the {@code ringcast: ... listening on} lines give the addresses, and
 * warnings, errors, exceptions and client closes are kept for a summary.
 * <p>
 * {@link #close()} sends SIGTERM, waits up to {@value #STOP_TIMEOUT_SECONDS} s (then kills it), and deletes the
 * journal. Not thread-safe: one owner.
 */
public final class NodeProcess implements AutoCloseable
{
    /** The system property (set by the bench scripts from the root POM) with the JVM flags of the build. */
    public static final String JVM_FLAGS_PROPERTY = "ringcast.jvm.flags";

    private static final Pattern LISTENING =
        Pattern.compile("^ringcast: (http|ingest) listening on (\\S+):(\\d+)\\s*$");
    private static final Pattern NOTEWORTHY = Pattern.compile("SEVERE|WARNING|WARN|ERROR|Exception|Error|closing with");
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 15;
    private static final int MAX_NOTEWORTHY_LINES = 40;

    /** Which server to start. */
    public enum Server
    {
        RINGCAST, BASELINE;

        /** {@code ringcast} or {@code baseline}. */
        public static Server parse(final String name)
        {
            try
            {
                return valueOf(name.toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--server: expected ringcast or baseline, got " + name);
            }
        }

        public String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Server server;
    private final Process process;
    private final Path journalDir;
    private final Path log;
    private final Output output;
    private final Thread pump;
    private String httpAddress;
    private String ingestAddress;
    private String commandLine;

    private NodeProcess(
        final Server server, final Process process, final Path journalDir, final Path log, final Output output,
        final Thread pump)
    {
        this.server = server;
        this.process = process;
        this.journalDir = journalDir;
        this.log = log;
        this.output = output;
        this.pump = pump;
    }

    /**
     * Start a server and wait for its listener lines.
     *
     * @param jar          the Ringcast jar (ignored for the baseline).
     * @param extraJvmFlags JVM flags for either server (e.g. {@code -Xmx1g}).
     * @param log          where its output goes, or null for a temporary file.
     * @throws IOException when it cannot start or does not report its listeners within 60 s (it is then stopped).
     */
    /** System property: the CPUs the server may run on ({@code taskset -c} syntax); unset: inherit this process's. */
    public static final String NODE_CPUS_PROPERTY = "ringcast.bench.nodeCpus";

    /**
     * The JVM options a node is run with in production ({@code jvm.options}, as {@code ./ringcast} uses them): beside
     * the jar (bench/env.sh copies it there with the jar), else at the root of the repository the jar was built in.
     * Only the Ringcast node gets them: they are tuned to a server that allocates nothing per message, and the
     * baseline hub (which allocates per client per message) runs on the JVM's defaults as its users would run it.
     * Empty when there is no such file.
     */
    public static List<String> productJvmOptions(final Path jar) throws IOException
    {
        final Path absolute = jar.toAbsolutePath();
        Path file = absolute.resolveSibling("jvm.options");
        final Path target = absolute.getParent();
        if (!Files.isRegularFile(file) && target != null && target.endsWith(Path.of("engine", "target")))
        {
            file = target.getParent().resolveSibling("jvm.options");  // <root>/engine/target/ringcast.jar
        }
        if (!Files.isRegularFile(file))
        {
            return List.of();
        }
        final List<String> options = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            final String option = line.trim();
            if (!option.isEmpty() && !option.startsWith("#"))
            {
                options.add(option);
            }
        }
        return options;
    }

    public static NodeProcess start(final Server server, final Path jar, final List<String> extraJvmFlags, final Path log)
        throws IOException
    {
        final Path logFile = log != null ? log : Files.createTempFile("ringcast-bench-" + server.label(), ".log");
        final Path journalDir = server == Server.RINGCAST ? Files.createTempDirectory("ringcast-bench-journal") : null;
        final List<String> command = new ArrayList<>();
        final String nodeCpus = System.getProperty(NODE_CPUS_PROPERTY, "");
        if (!nodeCpus.isBlank())
        {
            // The load generator runs pinned (bench/run-suite.sh); a child inherits that, so give the server back
            // every CPU.
            command.addAll(List.of("taskset", "-c", nodeCpus));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (server == Server.RINGCAST)
        {
            command.addAll(productJvmOptions(jar));
        }
        for (final String flag : extraJvmFlags)
        {
            if (!flag.isBlank())
            {
                command.add(flag);
            }
        }
        final List<String> listen = List.of("--http-port", "0", "--http-bind", "127.0.0.1",
            "--ingest-port", "0", "--ingest-bind", "127.0.0.1");
        if (server == Server.RINGCAST)
        {
            if (!Files.isRegularFile(jar))
            {
                throw new IOException("node jar not found: " + jar.toAbsolutePath() + " (build with mvn install)");
            }
            command.addAll(List.of("-jar", jar.toString()));
            command.addAll(listen);
            command.addAll(List.of("--journal-dir", journalDir.toString()));
        }
        else
        {
            command.addAll(buildJvmFlags());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), HubServer.class.getName()));
            command.addAll(listen);
        }

        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final Output output = new Output(process, logFile);
        final Thread pump = new Thread(output, "node-output-" + server.label());
        pump.setDaemon(true);
        pump.start();
        final NodeProcess node = new NodeProcess(server, process, journalDir, logFile, output, pump);
        node.commandLine = String.join(" ", command);
        try
        {
            final String[] addresses = output.listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            node.httpAddress = addresses[0];
            node.ingestAddress = addresses[1];
            return node;
        }
        catch (final TimeoutException | ExecutionException | InterruptedException ex)
        {
            node.close();
            final String why = ex instanceof TimeoutException ?
                "did not report its listeners within " + START_TIMEOUT_SECONDS + " s" : "failed to start: " + ex.getCause();
            throw new IOException(server.label() + " " + why + " (log " + logFile + ")", ex);
        }
    }

    /** The flags of {@value #JVM_FLAGS_PROPERTY}, split, or none when it is not set. */
    public static List<String> buildJvmFlags()
    {
        final String flags = System.getProperty(JVM_FLAGS_PROPERTY, "").trim();
        return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
    }

    public Server server()
    {
        return server;
    }

    /** The command line that started it. */
    public String commandLine()
    {
        return commandLine;
    }

    public Path log()
    {
        return log;
    }

    /** {@code host:port} of the HTTP/WebSocket listener. */
    public String httpAddress()
    {
        return httpAddress;
    }

    /** {@code host:port} of the ingest listener. */
    public String ingestAddress()
    {
        return ingestAddress;
    }

    public long pid()
    {
        return process.pid();
    }

    /**
     * Stop it with SIGTERM (kill after {@value #STOP_TIMEOUT_SECONDS} s) and delete the journal.
     *
     * @return its exit code, or -1 when it had to be killed.
     */
    public int stop() throws InterruptedException, IOException
    {
        process.destroy();
        int exitCode;
        if (process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            exitCode = process.exitValue();
        }
        else
        {
            process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            exitCode = -1;
        }
        pump.join(5_000);
        if (journalDir != null && Files.exists(journalDir))
        {
            try (Stream<Path> paths = Files.walk(journalDir))
            {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        return exitCode;
    }

    @Override
    public void close()
    {
        try
        {
            stop();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException ex)
        {
            System.err.println("cannot delete " + journalDir + ": " + ex);
        }
    }

    /** Lines in its output that were warnings, errors, exceptions or client closes (at most 40 kept). */
    public List<String> noteworthyLines()
    {
        return output.noteworthy();
    }

    /** How many output lines were noteworthy. */
    public int noteworthyCount()
    {
        return output.noteworthyCount();
    }

    /** Print the log summary: line counts and the noteworthy lines. */
    public void printSummary(final PrintStream out)
    {
        out.println("node log: " + output.lines() + " lines, " + output.noteworthyCount() +
            " with warnings, errors, exceptions or client closes (" + log + ")");
        for (final String line : output.noteworthy())
        {
            out.println("  node> " + line);
        }
    }

    /** Copies the process output to the log, finds the listener lines, and keeps the noteworthy lines. */
    private static final class Output implements Runnable
    {
        final CompletableFuture<String[]> listening = new CompletableFuture<>();
        private final Process process;
        private final Path log;
        private final List<String> noteworthy = new ArrayList<>();
        private final String[] addresses = new String[2];
        private int noteworthyCount;
        private int lines;

        Output(final Process process, final Path log)
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
            listening.completeExceptionally(new IOException("output ended before the listener lines"));
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

        synchronized List<String> noteworthy()
        {
            return new ArrayList<>(noteworthy);
        }

        synchronized int noteworthyCount()
        {
            return noteworthyCount;
        }

        synchronized int lines()
        {
            return lines;
        }
    }
}
