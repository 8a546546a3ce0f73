package io.ringcast.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts a server under test as a separate process ({@link NodeProcess}: a Ringcast node with a temporary journal,
 * or the baseline hub), runs {@link LoadGenerator} in this process against it (passing the server's pid for its RSS
 * and CPU), prints the report, then stops the server with SIGTERM.
 * <p>
 * Flags: {@code --server ringcast|baseline} (default ringcast), {@code --jar PATH} (default
 * {@code engine/target/ringcast.jar}), {@code --node-jvm "FLAGS"} (extra JVM flags for the server, space-separated,
 * e.g. {@code -Xmx1g}), {@code --node-log FILE} (default: a file in the temp dir); every other flag goes to
 * {@link LoadOptions} ({@code --ws-url}, {@code --ingest} and {@code --node-pid} are filled in). Warnings, errors and
 * exceptions in the server's output are summarised after the report. Exit code as {@link LoadGenerator}, or 3 when
 * the server did not start or stop cleanly.
 */
public final class RunNodeAndLoad
{
    private RunNodeAndLoad()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        NodeProcess.Server server = NodeProcess.Server.RINGCAST;
        Path jar = Path.of("engine/target/ringcast.jar");
        final List<String> nodeJvmFlags = new ArrayList<>();
        Path nodeLog = null;
        final List<String> loadArgs = new ArrayList<>();
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                final boolean hasValue = i + 1 < args.length;
                switch (args[i])
                {
                    case "--server" -> server = NodeProcess.Server.parse(value(args, ++i, hasValue));
                    case "--jar" -> jar = Path.of(value(args, ++i, hasValue));
                    case "--node-jvm" -> nodeJvmFlags.addAll(Arrays.asList(value(args, ++i, hasValue).trim().split("\\s+")));
                    case "--node-log" -> nodeLog = Path.of(value(args, ++i, hasValue));
                    default -> loadArgs.add(args[i]);
                }
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("RunNodeAndLoad: " + ex.getMessage());
            System.exit(2);
            return;
        }

        final NodeProcess node;
        try
        {
            node = NodeProcess.start(server, jar, nodeJvmFlags, nodeLog);
        }
        catch (final IOException ex)
        {
            System.err.println("RunNodeAndLoad: " + ex.getMessage());
            System.exit(3);
            return;
        }
        System.out.println("node: " + node.commandLine());
        System.out.println("node log: " + node.log());

        int exitCode;
        try
        {
            loadArgs.addAll(List.of("--ws-url", node.httpAddress(), "--ingest", node.ingestAddress(),
                "--node-pid", Long.toString(node.pid())));
            final LoadOptions options = LoadOptions.parse(loadArgs.toArray(new String[0]));
            System.out.println("load: " + String.join(" ", loadArgs));
            final LoadReport report = LoadGenerator.run(options);
            System.out.print(report.toText());
            LoadGenerator.writeJson(options, report);
            exitCode = report.clean() ? 0 : 1;
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("RunNodeAndLoad: " + ex.getMessage());
            System.err.print(LoadOptions.usage());
            exitCode = 2;
        }

        final int nodeExit = node.stop();
        if (nodeExit < 0)
        {
            System.out.println("node: still running 15 s after SIGTERM, killed it");
            exitCode = Math.max(exitCode, 3);
        }
        else
        {
            System.out.println("node: exited with " + nodeExit + " after SIGTERM");
            if (nodeExit != 0 && exitCode == 0)
            {
                exitCode = 3;
            }
        }
        node.printSummary(System.out);
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
}
