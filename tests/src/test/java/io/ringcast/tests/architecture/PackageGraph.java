package io.ringcast.tests.architecture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A directed graph of packages (edge {@code a -> b}: a source file of {@code a} refers to a type of {@code b}) and its
 * cycles, found as the strongly connected components of Tarjan's algorithm.
 */
final class PackageGraph
{
    private final Map<String, Set<String>> edges = new TreeMap<>();

    void addNode(final String node)
    {
        edges.computeIfAbsent(node, ignored -> new TreeSet<>());
    }

    /** Adds {@code from -> to}; a self edge (a package using itself) is ignored. */
    void addEdge(final String from, final String to)
    {
        addNode(from);
        addNode(to);
        if (!from.equals(to))
        {
            edges.get(from).add(to);
        }
    }

    Set<String> targets(final String from)
    {
        return edges.getOrDefault(from, Collections.emptySet());
    }

    /** Every group of two or more packages that reach each other, each sorted, in a stable order. */
    List<Set<String>> cycles()
    {
        final Tarjan tarjan = new Tarjan();
        for (final String node : edges.keySet())
        {
            if (!tarjan.index.containsKey(node))
            {
                tarjan.visit(node);
            }
        }
        tarjan.components.sort((a, b) -> a.toString().compareTo(b.toString()));
        return tarjan.components;
    }

    /** Whether {@code to} can be reached from {@code from} along the edges. */
    boolean pathExists(final String from, final String to)
    {
        final Set<String> seen = new TreeSet<>();
        final Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        while (!queue.isEmpty())
        {
            final String node = queue.poll();
            if (node.equals(to))
            {
                return true;
            }
            if (seen.add(node))
            {
                queue.addAll(targets(node));
            }
        }
        return false;
    }

    /** One closed path through the members of {@code component}, starting and ending at its first member. */
    List<String> pathThrough(final Set<String> component)
    {
        final String start = component.iterator().next();
        final Map<String, String> parent = new HashMap<>();
        final Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        parent.put(start, null);
        while (!queue.isEmpty())
        {
            final String node = queue.poll();
            for (final String next : targets(node))
            {
                if (next.equals(start))
                {
                    final List<String> path = new ArrayList<>();
                    for (String at = node; at != null; at = parent.get(at))
                    {
                        path.add(0, at);
                    }
                    path.add(start);
                    return path;
                }
                if (component.contains(next) && !parent.containsKey(next))
                {
                    parent.put(next, node);
                    queue.add(next);
                }
            }
        }
        throw new IllegalArgumentException("not a cycle: " + component);
    }

    private final class Tarjan
    {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> lowLink = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new TreeSet<>();
        final List<Set<String>> components = new ArrayList<>();

        void visit(final String node)
        {
            index.put(node, index.size());
            lowLink.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (final String next : targets(node))
            {
                if (!index.containsKey(next))
                {
                    visit(next);
                    lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
                }
                else if (onStack.contains(next))
                {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
                }
            }
            if (lowLink.get(node).equals(index.get(node)))
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
                    components.add(component);
                }
            }
        }
    }
}
