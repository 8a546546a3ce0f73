package io.ringcast.tests.architecture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The layout rules of the build, checked over the sources of every module ({@code src/main/java}): no main class
 * over {@value #MAX_LINES} lines, no cycle between packages, and modules that depend only downwards (journal and
 * transport know nothing of each other nor of the engine; the engine knows both; tests know all).
 * <p>
 * Run it alone with {@code mvn -B -pl tests -am -Dtest=ArchitectureTest -Dsurefire.failIfNoSpecifiedTests=false
 * verify}.
 */
final class ArchitectureTest
{
    static final int MAX_LINES = 500;
    private static final List<String> MODULES = List.of("journal", "transport", "engine", "tests");
    private static final Map<String, Set<String>> ALLOWED_MODULE_DEPENDENCIES = Map.of(
        "journal", Set.of(),
        "transport", Set.of(),
        "engine", Set.of("journal", "transport"),
        "tests", Set.of("journal", "transport", "engine"));

    private static Path root;
    private static final Map<Path, String> SOURCES = new TreeMap<>();
    private static final Map<String, String> MODULE_OF_PACKAGE = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException
    {
        root = repositoryRoot();
        for (final String module : MODULES)
        {
            final Path sources = root.resolve(module).resolve("src/main/java");
            assertTrue(Files.isDirectory(sources), "no sources at " + sources);
            try (Stream<Path> files = Files.walk(sources))
            {
                for (final Path file : (Iterable<Path>)files.filter(f -> f.toString().endsWith(".java"))::iterator)
                {
                    final String text = Files.readString(file, StandardCharsets.UTF_8);
                    SOURCES.put(file, text);
                    MODULE_OF_PACKAGE.put(JavaSource.packageOf(text), module);
                }
            }
        }
        assertTrue(SOURCES.size() > 50, "found only " + SOURCES.size() + " main sources under " + root);
    }

    @Test
    void shouldKeepEveryMainClassUnderFiveHundredLines()
    {
        final List<String> oversized = new ArrayList<>();
        for (final Map.Entry<Path, String> source : SOURCES.entrySet())
        {
            final long lines = source.getValue().lines().count();
            final String name = relative(source.getKey());
            if (lines > MAX_LINES)
            {
                oversized.add(name + " (" + lines + " lines)");
            }
        }
        if (!oversized.isEmpty())
        {
            fail("main classes over " + MAX_LINES + " lines (split them by job):\n  " + String.join("\n  ", oversized));
        }
    }

    @Test
    void shouldHaveNoCycleBetweenPackages()
    {
        final PackageGraph graph = packageGraph();
        final List<String> cycles = new ArrayList<>();
        for (final Set<String> cycle : graph.cycles())
        {
            cycles.add(String.join(" -> ", graph.pathThrough(cycle)) + "   (packages " + cycle + ")");
        }
        if (!cycles.isEmpty())
        {
            fail("package cycles:\n  " + String.join("\n  ", cycles) + "\n" + edgesOf(graph));
        }
    }

    @Test
    void shouldDependOnlyOnLowerModules()
    {
        final List<String> violations = new ArrayList<>();
        for (final Map.Entry<Path, String> source : SOURCES.entrySet())
        {
            final String module = moduleOf(source.getKey());
            for (final String used : JavaSource.referencedPackages(source.getValue()))
            {
                final String usedModule = MODULE_OF_PACKAGE.get(used);
                if (usedModule != null && !usedModule.equals(module) &&
                    !ALLOWED_MODULE_DEPENDENCIES.get(module).contains(usedModule))
                {
                    violations.add(relative(source.getKey()) + " (" + module + ") uses " + used + " (" + usedModule + ")");
                }
            }
        }
        if (!violations.isEmpty())
        {
            fail("module dependencies against the layout " + ALLOWED_MODULE_DEPENDENCIES + ":\n  " +
                String.join("\n  ", violations));
        }
    }

    private static PackageGraph packageGraph()
    {
        final PackageGraph graph = new PackageGraph();
        for (final String source : SOURCES.values())
        {
            final String from = JavaSource.packageOf(source);
            graph.addNode(from);
            for (final String to : JavaSource.referencedPackages(source))
            {
                if (MODULE_OF_PACKAGE.containsKey(to))
                {
                    graph.addEdge(from, to);
                }
            }
        }
        return graph;
    }

    /** Which files make each edge of a cycle, so the message says what to move. */
    private static String edgesOf(final PackageGraph graph)
    {
        final Set<String> inCycles = new TreeSet<>();
        graph.cycles().forEach(inCycles::addAll);
        final StringBuilder out = new StringBuilder("edges inside cycles, by file:\n");
        for (final Map.Entry<Path, String> source : SOURCES.entrySet())
        {
            final String from = JavaSource.packageOf(source.getValue());
            if (inCycles.contains(from))
            {
                for (final String to : JavaSource.referencedPackages(source.getValue()))
                {
                    if (!to.equals(from) && inCycles.contains(to) && graph.pathExists(to, from))
                    {
                        out.append("  ").append(relative(source.getKey())).append(" -> ").append(to).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String moduleOf(final Path file)
    {
        return root.relativize(file).getName(0).toString();
    }

    private static String relative(final Path file)
    {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static Path repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("journal/src/main/java")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
