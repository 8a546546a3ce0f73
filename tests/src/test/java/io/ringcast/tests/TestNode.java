package io.ringcast.tests;

import io.ringcast.engine.Node;
import io.ringcast.engine.config.Config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A node in this JVM on ephemeral loopback ports with its journal in a test directory. */
final class TestNode implements AutoCloseable
{
    final Node node;
    final Path journalDir;

    private TestNode(final Node node, final Path journalDir)
    {
        this.node = node;
        this.journalDir = journalDir;
    }

    static TestNode start(final Path journalDir, final String... extraFlags)
    {
        final List<String> args = new ArrayList<>(List.of(
            "--http-port", "0", "--http-bind", "127.0.0.1", "--ingest-port", "0", "--journal-dir", journalDir.toString(),
            "--ring-size", "1024"));
        args.addAll(List.of(extraFlags));
        return new TestNode(Node.start(Config.from(args.toArray(new String[0]), Map.of())), journalDir);
    }

    int httpPort()
    {
        return node.httpAddress().getPort();
    }

    int ingestPort()
    {
        return node.ingestAddress().getPort();
    }

    String wsUrl(final String query)
    {
        return "ws://127.0.0.1:" + httpPort() + "/ws" + (query.isEmpty() ? "" : "?" + query);
    }

    String httpUrl(final String path)
    {
        return "http://127.0.0.1:" + httpPort() + path;
    }

    @Override
    public void close()
    {
        node.close();
    }
}
