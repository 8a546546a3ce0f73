package io.ringcast.bench.baseline;

/** JSON string escaping for the baseline (RFC 8259: quote, backslash and control characters). Stateless. */
final class JsonStrings
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonStrings()
    {
    }

    /** {@code text} as a quoted JSON string. */
    static String quote(final String text)
    {
        final StringBuilder json = new StringBuilder(text.length() + 16).append('"');
        appendEscaped(json, text);
        return json.append('"').toString();
    }

    /** Append {@code text} escaped for the inside of a JSON string. */
    static void appendEscaped(final StringBuilder json, final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default ->
                {
                    if (c < 0x20)
                    {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        json.append(c);
                    }
                }
            }
        }
    }
}
