package io.ringcast.engine.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a node, each defined once as a typed {@link Setting}: a name, a documented default, a parser and
 * its documentation, read from a CLI flag ({@code --name value} or {@code --name=value}) or an environment variable
 * ({@code RINGCAST_NAME}); a flag wins over its variable. Validated once, at start-up: a bad value throws
 * {@link IllegalArgumentException} with a one-line message naming the flag. {@link #usage()} and
 * {@link #settingsTable()} (the README's table) are generated from the same definitions.
 */
public final class Config
{
    public static final Setting<Integer> HTTP_PORT = new Setting<>(
        "http-port", "8080", ValueParsers::port, "HTTP + WebSocket port (0 picks a free port)");
    public static final Setting<String> HTTP_BIND = new Setting<>(
        "http-bind", "0.0.0.0", ValueParsers::text, "address for the HTTP port");
    public static final Setting<Integer> INGEST_PORT = new Setting<>(
        "ingest-port", "9090", ValueParsers::port, "TCP ingest port (0 picks a free port)");
    public static final Setting<String> INGEST_BIND = new Setting<>(
        "ingest-bind", "127.0.0.1", ValueParsers::text, "address for the ingest port");
    public static final Setting<Path> JOURNAL_DIR = new Setting<>(
        "journal-dir", "./data/journal", Path::of, "Chronicle Queue directory");
    public static final Setting<Long> RETENTION_MS = new Setting<>(
        "retention", "24h", ValueParsers::durationMs, "journal files wholly older than this are deleted");
    public static final Setting<Integer> MAX_PAYLOAD_BYTES = new Setting<>(
        "max-payload", "1MiB", ValueParsers.sizeBetween(1, 64L * 1024 * 1024, "1 and 64MiB"),
        "largest payload accepted from a publisher");
    public static final Setting<Long> ACK_TIMEOUT_MS = new Setting<>(
        "ack-timeout", "5s", ValueParsers::positiveDurationMs, "redelivery timeout in ack mode");
    public static final Setting<Long> MAX_LAG = new Setting<>(
        "max-lag", "0", "0 (unlimited)", ValueParsers::nonNegativeLong,
        "close a client in catch-up more than this many ids behind the head with 4001");
    public static final Setting<Long> STALL_TIMEOUT_MS = new Setting<>(
        "stall-timeout", "60s", ValueParsers::positiveDurationMs,
        "close a client with data pending that reads nothing this long with 4001");
    public static final Setting<Long> REPLAY_RATE = new Setting<>(
        "replay-rate", "750000", ValueParsers::nonNegativeLong,
        "messages/s each resuming client is replayed at, so history reads leave CPU to live clients " +
        "(0: unpaced; catch-ups are never paced)");
    public static final Setting<Long> PING_INTERVAL_MS = new Setting<>(
        "ping-interval", "30s", ValueParsers::positiveDurationMs,
        "ping a client silent this long; drop it after twice this long");
    public static final Setting<Integer> CLIENT_BUFFER_BYTES = new Setting<>(
        "client-buffer", "1MiB", ValueParsers.sizeBetween(4096, 1L << 30, "4KiB and 1GiB"),
        "most a client's send buffer may grow to (it starts at 256 B, grows x4 on demand and is released after " +
        "1 s with nothing to send; a client in catch-up has a second one of up to 256 KiB)");
    public static final Setting<Integer> MAX_CONNECTIONS = new Setting<>(
        "max-connections", "100000", ValueParsers::positiveInt,
        "WebSocket connections at once; more get HTTP 503");
    public static final Setting<Integer> RING_SIZE = new Setting<>(
        "ring-size", "16384", ValueParsers::powerOfTwo, "Disruptor ring slots (power of two)");
    public static final Setting<WaitStrategyType> WAIT_STRATEGY = new Setting<>(
        "wait-strategy", "backoff", WaitStrategyType::parse,
        "how the journal and fan-out threads wait: `backoff` (spin, a few yields, then ~50 us naps, 1 ms after " +
        "100 ms idle; producers never signal), `phased` (spin, yield, then a lite lock), `lite`, `blocking`, " +
        "`yielding`; any other name stops start-up");
    public static final Setting<Integer> IO_THREADS = new Setting<>(
        "io-threads", Integer.toString(defaultIoThreads()), "half the cores, at least 1", ValueParsers::positiveInt,
        "Undertow I/O threads; they read clients and flush their buffers (the other cores are for the pipeline " +
        "threads)");
    public static final Setting<String> ROLL_CYCLE = new Setting<>(
        "roll-cycle", "FAST_HOURLY", ValueParsers::rollCycle,
        "journal file roll cycle (Chronicle `RollCycles` name, e.g. `FIVE_MINUTELY`, `FAST_HOURLY`, `FAST_DAILY`)");
    public static final Setting<LogFormat> LOG_FORMAT = new Setting<>(
        "log-format", "plain", LogFormat::parse,
        "log lines on stderr: `plain` (one line per event) or `json` (one JSON object per line, for log shippers)");

    /** Every setting, in the order of {@code --help} and the README. */
    public static final List<Setting<?>> SETTINGS = List.of(
        HTTP_PORT, HTTP_BIND, INGEST_PORT, INGEST_BIND, JOURNAL_DIR, RETENTION_MS, MAX_PAYLOAD_BYTES, ACK_TIMEOUT_MS,
        MAX_LAG, STALL_TIMEOUT_MS, REPLAY_RATE, PING_INTERVAL_MS, CLIENT_BUFFER_BYTES, MAX_CONNECTIONS, RING_SIZE,
        WAIT_STRATEGY, IO_THREADS, ROLL_CYCLE, LOG_FORMAT);

    /** Half the cores: the other half is for the pipeline (ingest, journal, fan-out, replay). */
    static int defaultIoThreads()
    {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    private final Map<Setting<?>, Object> values;

    private Config(final Map<Setting<?>, Object> values)
    {
        this.values = values;
    }

    /**
     * Build from command-line flags and environment variables.
     *
     * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value.
     */
    public static Config from(final String[] args, final Map<String, String> env)
    {
        final Map<String, Setting<?>> byName = new HashMap<>();
        final Map<Setting<?>, String> texts = new LinkedHashMap<>();
        for (final Setting<?> setting : SETTINGS)
        {
            byName.put(setting.name, setting);
            texts.put(setting, env.getOrDefault(setting.envName(), setting.defaultValue));
        }
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (flags look like --name value)");
            }
            String name = arg.substring(2);
            final String value;
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
            final Setting<?> setting = byName.get(name);
            if (setting == null)
            {
                throw new IllegalArgumentException("unknown flag --" + name + " (see --help)");
            }
            texts.put(setting, value);
        }
        final Map<Setting<?>, Object> values = new HashMap<>();
        for (final Map.Entry<Setting<?>, String> entry : texts.entrySet())
        {
            values.put(entry.getKey(), entry.getKey().parse(entry.getValue()));
        }
        return new Config(values);
    }

    public static Config defaults()
    {
        return from(new String[0], Map.of());
    }

    /** The value of {@code setting}, parsed and validated. */
    @SuppressWarnings("unchecked")
    public <T> T get(final Setting<T> setting)
    {
        return (T)values.get(setting);
    }

    /** Usage text listing every flag, its variable and default. */
    public static String usage()
    {
        final StringBuilder sb = new StringBuilder(
            "usage: ringcast [run] [flags]\n" +
            "       ringcast publish --topic T|--group G [--json] [--host H] [--port P] PAYLOAD\n\n" +
            "flags (each also read from its environment variable; the flag wins):\n");
        for (final Setting<?> s : SETTINGS)
        {
            sb.append(String.format("  --%-16s %-26s default %-14s %s%n",
                s.name, s.envName(), s.documentedDefault, s.doc.replace("`", "")));
        }
        sb.append("\nDurations are <n>ms|s|m|h; sizes are bytes or <n>KiB|MiB|GiB.\n");
        return sb.toString();
    }

    /** The README's settings table (Markdown), one row per setting. */
    public static String settingsTable()
    {
        final StringBuilder sb = new StringBuilder("| flag | default | meaning |\n|---|---|---|\n");
        for (final Setting<?> s : SETTINGS)
        {
            sb.append("| `").append(s.flag()).append("` | ").append(s.documentedDefault).append(" | ")
                .append(s.doc).append(" |\n");
        }
        return sb.toString();
    }

    public static long parseDurationMs(final String text)
    {
        return ValueParsers.durationMs(text);
    }

    public static long parseSizeBytes(final String text)
    {
        return ValueParsers.sizeBytes(text);
    }

    public int httpPort()
    {
        return get(HTTP_PORT);
    }

    public String httpBind()
    {
        return get(HTTP_BIND);
    }

    public int ingestPort()
    {
        return get(INGEST_PORT);
    }

    public String ingestBind()
    {
        return get(INGEST_BIND);
    }

    public Path journalDir()
    {
        return get(JOURNAL_DIR);
    }

    public long retentionMs()
    {
        return get(RETENTION_MS);
    }

    public int maxPayloadBytes()
    {
        return get(MAX_PAYLOAD_BYTES);
    }

    public long ackTimeoutMs()
    {
        return get(ACK_TIMEOUT_MS);
    }

    public long maxLag()
    {
        return get(MAX_LAG);
    }

    public long stallTimeoutMs()
    {
        return get(STALL_TIMEOUT_MS);
    }

    public long replayRate()
    {
        return get(REPLAY_RATE);
    }

    public long pingIntervalMs()
    {
        return get(PING_INTERVAL_MS);
    }

    public int clientBufferBytes()
    {
        return get(CLIENT_BUFFER_BYTES);
    }

    public int maxConnections()
    {
        return get(MAX_CONNECTIONS);
    }

    public int ringSize()
    {
        return get(RING_SIZE);
    }

    public int ioThreads()
    {
        return get(IO_THREADS);
    }

    public WaitStrategyType waitStrategy()
    {
        return get(WAIT_STRATEGY);
    }

    public String rollCycle()
    {
        return get(ROLL_CYCLE);
    }

    public LogFormat logFormat()
    {
        return get(LOG_FORMAT);
    }
}
