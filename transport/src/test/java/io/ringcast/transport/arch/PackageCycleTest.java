package io.ringcast.transport.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No cycle between the project's packages (read from the main sources of every module: the package of each file,
 * and the {@code io.ringcast} packages its imports and qualified names refer to), and no main class of this module
 * over 500 lines.
 */
class PackageCycleTest
{
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.ringcast(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");
    private static final int MAX_MAIN_CLASS_LINES = 500;

    @Test
    void shouldHaveNoCycleBetweenPackages() throws IOException
    {
        final Map<String, Set<String>> dependencies = dependencies(mainSources());
        assertTrue(dependencies.containsKey("io.ringcast.transport.websocket"), "sources found: " + dependencies);
        assertEquals(List.of(), cycles(dependencies), "package cycles");
    }

    @Test
    void shouldKeepEveryMainClassOfTransportWithin500Lines() throws IOException
    {
        final List<String> tooLong = new ArrayList<>();
        final Path transport = Paths.get("src/main/java").toAbsolutePath();
        for (final Path file : mainSources())
        {
            final long lines = Files.readAllLines(file).size();
            if (file.startsWith(transport) && lines > MAX_MAIN_CLASS_LINES)
            {
                tooLong.add(file + " (" + lines + " lines)");
            }
        }
        assertEquals(List.of(), tooLong);
    }

    @Test
    void shouldFindACycleWhenThereIsOne()
    {
        final Map<String, Set<String>> dependencies = new TreeMap<>();
        dependencies.put("a", Set.of("b"));
        dependencies.put("b", Set.of("c"));
        dependencies.put("c", Set.of("a"));
        dependencies.put("d", Set.of("a"));
        assertEquals(List.of(Set.of("a", "b", "c")), cycles(dependencies));
    }

    private static List<Path> mainSources() throws IOException
    {
        // Surefire runs in the module's directory; the modules are its siblings.
        final Path root = Paths.get("").toAbsolutePath().getParent();
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root))
        {
            for (final Path module : (Iterable<Path>)modules::iterator)
            {
                final Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main))
                {
                    try (Stream<Path> walk = Files.walk(main))
                    {
                        walk.filter(path -> path.toString().endsWith(".java")).forEach(files::add);
                    }
                }
            }
        }
        return files;
    }

    private static Map<String, Set<String>> dependencies(final List<Path> files) throws IOException
    {
        final Map<String, Set<String>> dependencies = new TreeMap<>();
        for (final Path file : files)
        {
            final String source = Files.readString(file);
            final Matcher packageName = PACKAGE.matcher(source);
            if (!packageName.find())
            {
                continue;
            }
            final String from = packageName.group(1);
            final Set<String> to = dependencies.computeIfAbsent(from, name -> new TreeSet<>());
            final Matcher reference = REFERENCE.matcher(source);
            while (reference.find())
            {
                if (!reference.group(1).equals(from))
                {
                    to.add(reference.group(1));
                }
            }
        }
        return dependencies;
    }

    /** The strongly connected components of more than one package (Tarjan). */
    static List<Set<String>> cycles(final Map<String, Set<String>> dependencies)
    {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final ArrayDeque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new TreeSet<>();
        final List<Set<String>> cycles = new ArrayList<>();
        for (final String node : dependencies.keySet())
        {
            if (!index.containsKey(node))
            {
                connect(node, dependencies, index, low, stack, onStack, cycles);
            }
        }
        return cycles;
    }

    private static void connect(
        final String node,
        final Map<String, Set<String>> dependencies,
        final Map<String, Integer> index,
        final Map<String, Integer> low,
        final ArrayDeque<String> stack,
        final Set<String> onStack,
        final List<Set<String>> cycles)
    {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (final String next : dependencies.getOrDefault(node, Set.of()))
        {
            if (!index.containsKey(next))
            {
                connect(next, dependencies, index, low, stack, onStack, cycles);
                low.put(node, Math.min(low.get(node), low.get(next)));
            }
            else if (onStack.contains(next))
            {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node)))
        {
            final Set<String> component = new TreeSet<>();
            String member;
            do
            {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            }
            while (!member.equals(node));
            if (component.size() > 1)
            {
                cycles.add(component);
            }
        }
    }
}
