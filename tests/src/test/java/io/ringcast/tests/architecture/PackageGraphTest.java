package io.ringcast.tests.architecture;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of {@link ArchitectureTest} that decide: cycle finding on tiny graphs, and reading a source's imports. */
final class PackageGraphTest
{
    @Test
    void shouldFindNoCycleInATree()
    {
        final PackageGraph graph = new PackageGraph();
        graph.addEdge("a", "b");
        graph.addEdge("a", "c");
        graph.addEdge("b", "c");
        graph.addEdge("c", "c");

        assertEquals(List.of(), graph.cycles());
    }

    @Test
    void shouldFindATwoPackageCycle()
    {
        final PackageGraph graph = new PackageGraph();
        graph.addEdge("http", "websocket");
        graph.addEdge("websocket", "http");
        graph.addEdge("engine", "http");

        assertEquals(List.of(Set.of("http", "websocket")), graph.cycles());
        assertEquals(List.of("http", "websocket", "http"), graph.pathThrough(graph.cycles().get(0)));
    }

    @Test
    void shouldFindEachCycleOfALongerGraphSeparately()
    {
        final PackageGraph graph = new PackageGraph();
        graph.addEdge("transport", "websocket");
        graph.addEdge("websocket", "http");
        graph.addEdge("http", "transport");
        graph.addEdge("http", "codec");
        graph.addEdge("x", "y");
        graph.addEdge("y", "x");
        graph.addEdge("x", "transport");

        assertEquals(List.of(Set.of("http", "transport", "websocket"), Set.of("x", "y")), graph.cycles());
        final List<String> path = graph.pathThrough(graph.cycles().get(0));
        assertEquals(4, path.size());
        assertEquals(path.get(0), path.get(3));
        for (int i = 0; i < 3; i++)
        {
            assertTrue(graph.targets(path.get(i)).contains(path.get(i + 1)), "no edge " + path.get(i) + " -> " + path.get(i + 1));
        }
        assertTrue(graph.pathExists("x", "codec"));
        assertFalse(graph.pathExists("codec", "x"));
    }

    @Test
    void shouldReadImportsStaticImportsWildcardsAndQualifiedNamesButNotCommentsOrStrings()
    {
        final String source = """
            package io.ringcast.engine.fanout;

            import io.ringcast.transport.websocket.ClientSession;
            import static io.ringcast.journal.JournalDescriptor.FLAGS_OFFSET;
            import io.ringcast.transport.codec.*;
            import java.util.List;

            /** Uses {@link io.ringcast.transport.http.HttpServer} in javadoc only. */
            final class Example
            {
                // io.ringcast.engine.replay.FrameCache in a comment
                private final String name = "io.ringcast.engine.cli.Main";
                private final io.ringcast.engine.pipeline.MessageEvent event = null;
                private final io.ringcast.transport.websocket.ClientSession.Nested nested = null;
                private final char quote = '"';
                private final Object afterQuote = io.ringcast.transport.ingest.IngestServer.class;
            }
            """;

        assertEquals("io.ringcast.engine.fanout", JavaSource.packageOf(source));
        assertEquals(
            Set.of("io.ringcast.transport.websocket", "io.ringcast.journal", "io.ringcast.transport.codec",
                "io.ringcast.engine.pipeline", "io.ringcast.transport.ingest"),
            JavaSource.referencedPackages(source));
    }
}
