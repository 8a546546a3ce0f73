package io.ringcast.tests.architecture;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Java source file says about its dependencies, read from its text: its package, and every
 * {@code io.ringcast} package it names in an import ({@code import}, {@code import static}, wildcards) or in a
 * fully-qualified reference in code. Comments and string literals are blanked first, so a package named in javadoc
 * or in a message is not a dependency. Types of the same package need no import and add no edge.
 */
final class JavaSource
{
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED_TYPE = Pattern.compile("\\bio\\.ringcast((?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");
    private static final Pattern WILDCARD_IMPORT = Pattern.compile("\\bimport\\s+(io\\.ringcast(?:\\.[a-z_][a-z0-9_]*)*)\\.\\*\\s*;");

    private JavaSource()
    {
    }

    static String packageOf(final String source)
    {
        final Matcher matcher = PACKAGE.matcher(blankCommentsAndStrings(source));
        return matcher.find() ? matcher.group(1) : "";
    }

    /** The {@code io.ringcast} packages this source refers to (its own included when it names itself). */
    static Set<String> referencedPackages(final String source)
    {
        final String code = blankCommentsAndStrings(source);
        final Set<String> packages = new TreeSet<>();
        final Matcher qualified = QUALIFIED_TYPE.matcher(code);
        while (qualified.find())
        {
            packages.add("io.ringcast" + qualified.group(1));
        }
        final Matcher wildcard = WILDCARD_IMPORT.matcher(code);
        while (wildcard.find())
        {
            packages.add(wildcard.group(1));
        }
        return packages;
    }

    /**
     * The source with every comment, string, text block and char literal replaced by spaces (line breaks kept, so
     * line numbers stay).
     */
    static String blankCommentsAndStrings(final String source)
    {
        final StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        final int length = source.length();
        while (i < length)
        {
            final char c = source.charAt(i);
            final char next = i + 1 < length ? source.charAt(i + 1) : 0;
            if (c == '/' && next == '/')
            {
                while (i < length && source.charAt(i) != '\n')
                {
                    out.append(' ');
                    i++;
                }
            }
            else if (c == '/' && next == '*')
            {
                final int end = source.indexOf("*/", i + 2);
                i = blank(source, out, i, end < 0 ? length : end + 2);
            }
            else if (source.startsWith("\"\"\"", i))
            {
                final int end = source.indexOf("\"\"\"", i + 3);
                i = blank(source, out, i, end < 0 ? length : end + 3);
            }
            else if (c == '"' || c == '\'')
            {
                int end = i + 1;
                while (end < length && source.charAt(end) != c && source.charAt(end) != '\n')
                {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = blank(source, out, i, Math.min(length, end + 1));
            }
            else
            {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int blank(final String source, final StringBuilder out, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            out.append(source.charAt(i) == '\n' ? '\n' : ' ');
        }
        return to;
    }
}
