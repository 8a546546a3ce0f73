package io.ringcast.engine.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of a node: a name, a documented default, a CLI flag ({@code --name value} or {@code --name=value})
 * and an environment variable ({@code RINGCAST_NAME}); a flag wins over its variable. Validated once, at start-up:
 * a bad value throws {@link IllegalArgumentException} with a one-line message naming the flag.
 */
public final class Config
{
    /** One setting: flag name (without dashes), default text, help. */
    public static final class Setting
    {
        final String name;
        final String defaultValue;
        final String help;

        Setting(final String name, final String defaultValue, final String help)
        {
            this.name = name;
            this.defaultValue = defaultValue;
            this.help = help;
        }

        public String envName()
        {
            return "RINGCAST_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    public static final List<Setting> SETTINGS = List.of(
        new Setting("http-port", "8080", "HTTP + WebSocket port (0 picks a free port)"),
        new Setting("http-bind", "0.0.0.0", "address for the HTTP port"),
        new Setting("ingest-port", "9090", "TCP ingest port (0 picks a free port)"),
        new Setting("ingest-bind", "127.0.0.1", "address for the ingest port"),
        new Setting("journal-dir", "./data/journal", "Chronicle Queue directory"),
        new Setting("retention", "24h", "journal files wholly older than this are deleted"),
        new Setting("max-payload", "1MiB", "largest payload accepted from a publisher"),
        new Setting("ack-timeout", "5s", "redelivery timeout in ack mode"),
        new Setting("max-lag", "0", "close a client more than this many ids behind the head with 4001 (0: unlimited)"),
        new Setting("stall-timeout", "60s", "close a client that has data pending and reads nothing this long"),
        new Setting("replay-rate", "750000", "messages/s each resuming client is replayed at (0: unpaced)"),
        new Setting("ping-interval", "30s", "ping a client silent this long; drop it after twice this long"),
        new Setting("client-buffer", "1MiB", "most a WebSocket client's send buffer may grow to (starts at 256 B, grows x4 on demand, released when idle)"),
        new Setting("max-connections", "100000", "WebSocket connections accepted at once; more get HTTP 503"),
        new Setting("ring-size", "16384", "Disruptor ring slots (a power of two)"),
        new Setting("wait-strategy", "backoff", "how pipeline threads wait: backoff (spin, yield, then naps), blocking, lite, phased (spin, yield, then lite lock), yielding"),
        new Setting("io-threads", Integer.toString(defaultIoThreads()),
            "Undertow I/O threads (they read clients and flush their buffers); default: half the cores, at least 1"),
        new Setting("roll-cycle", "FAST_HOURLY", "Chronicle roll cycle (e.g. FIVE_MINUTELY, FAST_HOURLY, FAST_DAILY)"));

    /**
     * Half the cores: the other half is for the pipeline (ingest, journal, fan-out, replay). On 2 cores, one I/O
     * thread instead of two halved the p99 of 1,000 clients at 1,000 msg/s (21.8 and 17.4 ms vs 40.5 and 44.4 ms).
     */
    static int defaultIoThreads()
    {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    private final int httpPort;
    private final String httpBind;
    private final int ingestPort;
    private final String ingestBind;
    private final Path journalDir;
    private final long retentionMs;
    private final int maxPayloadBytes;
    private final long ackTimeoutMs;
    private final long maxLag;
    private final long stallTimeoutMs;
    private final long pingIntervalMs;
    private final long replayRate;
    private final int clientBufferBytes;
    private final int maxConnections;
    private final int ringSize;
    private final int ioThreads;
    private final String waitStrategy;
    private final String rollCycle;

    private Config(final Map<String, String> values)
    {
        httpPort = port(values, "http-port");
        httpBind = nonEmpty(values, "http-bind");
        ingestPort = port(values, "ingest-port");
        ingestBind = nonEmpty(values, "ingest-bind");
        journalDir = Path.of(nonEmpty(values, "journal-dir"));
        retentionMs = parse(values, "retention", Config::parseDurationMs);
        final long maxPayload = parse(values, "max-payload", Config::parseSizeBytes);
        if (maxPayload < 1 || maxPayload > 64L * 1024 * 1024)
        {
            throw bad("max-payload", values.get("max-payload"), "must be between 1 and 64MiB");
        }
        maxPayloadBytes = (int)maxPayload;
        ackTimeoutMs = positive(values, "ack-timeout", parse(values, "ack-timeout", Config::parseDurationMs));
        maxLag = parse(values, "max-lag", Config::parseNonNegativeLong);
        stallTimeoutMs = positive(values, "stall-timeout", parse(values, "stall-timeout", Config::parseDurationMs));
        replayRate = parse(values, "replay-rate", Config::parseNonNegativeLong);
        pingIntervalMs = positive(values, "ping-interval", parse(values, "ping-interval", Config::parseDurationMs));
        final long clientBuffer = parse(values, "client-buffer", Config::parseSizeBytes);
        if (clientBuffer < 4096 || clientBuffer > 1L << 30)
        {
            throw bad("client-buffer", values.get("client-buffer"), "must be between 4KiB and 1GiB");
        }
        clientBufferBytes = (int)clientBuffer;
        maxConnections = (int)positive(values, "max-connections", intValue(values, "max-connections"));
        ringSize = (int)positive(values, "ring-size", intValue(values, "ring-size"));
        if (Integer.bitCount(ringSize) != 1)
        {
            throw bad("ring-size", values.get("ring-size"), "must be a power of two");
        }
        ioThreads = (int)positive(values, "io-threads", intValue(values, "io-threads"));
        waitStrategy = nonEmpty(values, "wait-strategy").toLowerCase(Locale.ROOT);
        if (!List.of("backoff", "blocking", "lite", "phased", "yielding").contains(waitStrategy))
        {
            throw bad("wait-strategy", values.get("wait-strategy"), "one of backoff, blocking, lite, phased, yielding");
        }
        rollCycle = nonEmpty(values, "roll-cycle").toUpperCase(Locale.ROOT);
        try
        {
            io.ringcast.journal.Journal.rollCycle(rollCycle);
        }
        catch (final IllegalArgumentException ex)
        {
            throw bad("roll-cycle", values.get("roll-cycle"), "unknown roll cycle (FIVE_MINUTELY, FAST_HOURLY, FAST_DAILY, ...)");
        }
    }

    /**
     * Build from command-line flags and environment variables.
     *
     * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value.
     */
    public static Config from(final String[] args, final Map<String, String> env)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final Setting setting : SETTINGS)
        {
            values.put(setting.name, env.getOrDefault(setting.envName(), setting.defaultValue));
        }
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (flags look like --name value)");
            }
            String name = arg.substring(2);
            String value;
            final int eq = name.indexOf('=');
            if (eq >= 0)
            {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            else
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!values.containsKey(name))
            {
                throw new IllegalArgumentException("unknown flag --" + name + " (see --help)");
            }
            values.put(name, value);
        }
        return new Config(values);
    }

    public static Config defaults()
    {
        return from(new String[0], Map.of());
    }

    /** Usage text listing every flag, its variable and default. */
    public static String usage()
    {
        final StringBuilder sb = new StringBuilder("usage: ringcast [run] [flags]\n       ringcast publish --topic T|--group G [--json] [--host H] [--port P] PAYLOAD\n\nflags (each also read from its environment variable; the flag wins):\n");
        for (final Setting s : SETTINGS)
        {
            sb.append(String.format("  --%-16s %-26s default %-14s %s%n", s.name, s.envName(), s.defaultValue, s.help));
        }
        return sb.toString();
    }

    public static long parseDurationMs(final String text)
    {
        final String t = text.trim();
        final long multiplier;
        final String number;
        if (t.endsWith("ms"))
        {
            multiplier = 1;
            number = t.substring(0, t.length() - 2);
        }
        else if (t.endsWith("s"))
        {
            multiplier = 1000;
            number = t.substring(0, t.length() - 1);
        }
        else if (t.endsWith("m"))
        {
            multiplier = 60_000;
            number = t.substring(0, t.length() - 1);
        }
        else if (t.endsWith("h"))
        {
            multiplier = 3_600_000;
            number = t.substring(0, t.length() - 1);
        }
        else
        {
            throw new IllegalArgumentException("a duration is <n>ms, <n>s, <n>m or <n>h");
        }
        return Math.multiplyExact(parseNonNegativeLong(number), multiplier);
    }

    public static long parseSizeBytes(final String text)
    {
        final String t = text.trim();
        final String[] units = {"KiB", "MiB", "GiB"};
        for (int i = 0; i < units.length; i++)
        {
            if (t.endsWith(units[i]))
            {
                return Math.multiplyExact(
                    parseNonNegativeLong(t.substring(0, t.length() - 3)), 1L << (10 * (i + 1)));
            }
        }
        return parseNonNegativeLong(t);
    }

    static long parseNonNegativeLong(final String text)
    {
        final long value;
        try
        {
            value = Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a number");
        }
        if (value < 0)
        {
            throw new IllegalArgumentException("must not be negative");
        }
        return value;
    }

    private static long parse(final Map<String, String> values, final String name, final Function<String, Long> parser)
    {
        final String text = values.get(name);
        try
        {
            return parser.apply(text);
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            throw bad(name, text, ex.getMessage());
        }
    }

    private static long intValue(final Map<String, String> values, final String name)
    {
        final long value = parse(values, name, Config::parseNonNegativeLong);
        if (value > Integer.MAX_VALUE)
        {
            throw bad(name, values.get(name), "too large");
        }
        return value;
    }

    private static int port(final Map<String, String> values, final String name)
    {
        final long port = intValue(values, name);
        if (port > 65535)
        {
            throw bad(name, values.get(name), "a port is 0 to 65535");
        }
        return (int)port;
    }

    private static long positive(final Map<String, String> values, final String name, final long value)
    {
        if (value <= 0)
        {
            throw bad(name, values.get(name), "must be greater than 0");
        }
        return value;
    }

    private static String nonEmpty(final Map<String, String> values, final String name)
    {
        final String value = values.get(name);
        if (value == null || value.isBlank())
        {
            throw bad(name, value, "must not be empty");
        }
        return value.trim();
    }

    private static IllegalArgumentException bad(final String name, final String value, final String why)
    {
        return new IllegalArgumentException("invalid --" + name + " '" + value + "': " + why);
    }

    public int httpPort()
    {
        return httpPort;
    }

    public String httpBind()
    {
        return httpBind;
    }

    public int ingestPort()
    {
        return ingestPort;
    }

    public String ingestBind()
    {
        return ingestBind;
    }

    public Path journalDir()
    {
        return journalDir;
    }

    public long retentionMs()
    {
        return retentionMs;
    }

    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    public long ackTimeoutMs()
    {
        return ackTimeoutMs;
    }

    public long maxLag()
    {
        return maxLag;
    }

    public long stallTimeoutMs()
    {
        return stallTimeoutMs;
    }

    public long replayRate()
    {
        return replayRate;
    }

    public long pingIntervalMs()
    {
        return pingIntervalMs;
    }

    public int clientBufferBytes()
    {
        return clientBufferBytes;
    }

    public int maxConnections()
    {
        return maxConnections;
    }

    public int ringSize()
    {
        return ringSize;
    }

    public int ioThreads()
    {
        return ioThreads;
    }

    public String waitStrategy()
    {
        return waitStrategy;
    }

    public String rollCycle()
    {
        return rollCycle;
    }
}
