package io.ringcast.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The settings of one load run, parsed once from the command line and validated (the argument object of
 * {@link LoadGenerator#run(LoadOptions)}).
 * <p>
 * Flags: {@code --ws-url host:port} (HTTP port of the node), {@code --ingest host:port}, {@code --clients C},
 * {@code --topic T} (default {@code bench}), {@code --rate R} messages per second (0: flat out, limited by a window
 * of {@code --window} unanswered ingest frames, default 1,000), {@code --size B} payload bytes (default 100, at least
 * {@link #MIN_PAYLOAD_BYTES} so the stamp fits), {@code --duration S}, {@code --warmup S}, {@code --json-out FILE},
 * {@code --label NAME}, {@code --node-pid PID}, {@code --receiver-threads N} (default: one per core but one, at
 * least one), {@code --stall N} (the first N clients subscribe, then stop reading until the drain phase; their
 * figures are reported apart), and two flags without a value: {@code --idle} (no publisher: the clients only hold
 * their connections for warm-up + duration, to measure the node's memory per connection) and {@code --percentiles}
 * (put the latency histogram's percentile distribution into the JSON). {@code --clients 0} measures ingest alone.
 */
public final class LoadOptions
{
    /** The stamp {@code <nanos>:<seq>:} takes at most 41 bytes; the payload must hold it whole. */
    public static final int MIN_PAYLOAD_BYTES = 48;

    private InetSocketAddress wsAddress;
    private InetSocketAddress ingestAddress;
    private int clients = 1;
    private String topic = "bench";
    private long ratePerSecond;
    private int windowFrames = 1_000;
    private int payloadBytes = 100;
    private long durationSeconds = 10;
    private long warmupSeconds;
    private Path jsonOut;
    private String label = "run";
    private long nodePid = -1;
    private int receiverThreads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    private int stallClients;
    private boolean idle;
    private boolean percentiles;

    private LoadOptions()
    {
    }

    /**
     * Parse and validate the flags.
     *
     * @throws IllegalArgumentException naming the flag when a value is missing or bad.
     */
    public static LoadOptions parse(final String[] args)
    {
        final LoadOptions options = new LoadOptions();
        for (int i = 0; i < args.length; i++)
        {
            final String flag = args[i];
            if ("--idle".equals(flag))
            {
                options.idle = true;
                continue;
            }
            if ("--percentiles".equals(flag))
            {
                options.percentiles = true;
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(flag + ": missing value");
            }
            final String value = args[++i];
            switch (flag)
            {
                case "--ws-url" -> options.wsAddress = address(flag, value);
                case "--ingest" -> options.ingestAddress = address(flag, value);
                case "--clients" -> options.clients = (int)number(flag, value, 0, 1_000_000);
                case "--topic" -> options.topic = value;
                case "--rate" -> options.ratePerSecond = number(flag, value, 0, 100_000_000);
                case "--window" -> options.windowFrames = (int)number(flag, value, 1, 1_000_000);
                case "--size" -> options.payloadBytes = (int)number(flag, value, MIN_PAYLOAD_BYTES, 64 * 1024 * 1024);
                case "--duration" -> options.durationSeconds = number(flag, value, 1, 86_400);
                case "--warmup" -> options.warmupSeconds = number(flag, value, 0, 86_400);
                case "--json-out" -> options.jsonOut = Path.of(value);
                case "--label" -> options.label = value;
                case "--node-pid" -> options.nodePid = number(flag, value, 1, Long.MAX_VALUE);
                case "--receiver-threads" -> options.receiverThreads = (int)number(flag, value, 1, 1024);
                case "--stall" -> options.stallClients = (int)number(flag, value, 0, 1_000_000);
                default -> throw new IllegalArgumentException(flag + ": unknown flag");
            }
        }
        if (options.wsAddress == null)
        {
            throw new IllegalArgumentException("--ws-url: required (host:port of the node's HTTP port)");
        }
        if (options.ingestAddress == null)
        {
            throw new IllegalArgumentException("--ingest: required (host:port of the node's ingest port)");
        }
        if (!options.topic.matches("[A-Za-z0-9._:/-]{1,255}"))
        {
            throw new IllegalArgumentException("--topic: not a valid topic name: " + options.topic);
        }
        if (options.stallClients > options.clients)
        {
            throw new IllegalArgumentException("--stall: " + options.stallClients + " is more than --clients");
        }
        options.receiverThreads = Math.max(1, Math.min(options.receiverThreads, options.clients));
        return options;
    }

    /** The usage text. */
    public static String usage()
    {
        return "usage: LoadGenerator --ws-url host:port --ingest host:port [--clients C] [--topic T] [--rate R|0]\n" +
            "       [--window N] [--size B] [--duration S] [--warmup S] [--json-out FILE] [--label NAME]\n" +
            "       [--node-pid PID] [--receiver-threads N] [--stall N] [--idle] [--percentiles]\n";
    }

    private static InetSocketAddress address(final String flag, final String value)
    {
        final int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1)
        {
            throw new IllegalArgumentException(flag + ": expected host:port, got " + value);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("ws://") || host.startsWith("http://"))
        {
            host = host.substring(host.indexOf("//") + 2);
        }
        if ("0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host))
        {
            host = "127.0.0.1";
        }
        final int port = (int)number(flag, value.substring(colon + 1), 1, 65_535);
        return new InetSocketAddress(host, port);
    }

    /** An integer flag value within [min, max], or IllegalArgumentException naming the flag. */
    public static long number(final String flag, final String value, final long min, final long max)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(flag + ": not an integer: " + value);
        }
        if (parsed < min || parsed > max)
        {
            throw new IllegalArgumentException(flag + ": " + value + " is outside [" + min + ", " + max + "]");
        }
        return parsed;
    }

    public InetSocketAddress wsAddress()
    {
        return wsAddress;
    }

    public InetSocketAddress ingestAddress()
    {
        return ingestAddress;
    }

    public int clients()
    {
        return clients;
    }

    public String topic()
    {
        return topic;
    }

    /** Messages per second; 0 means as fast as the reply window allows. */
    public long ratePerSecond()
    {
        return ratePerSecond;
    }

    /** Unanswered ingest frames allowed in flat-out mode. */
    public int windowFrames()
    {
        return windowFrames;
    }

    public int payloadBytes()
    {
        return payloadBytes;
    }

    public long durationSeconds()
    {
        return durationSeconds;
    }

    public long warmupSeconds()
    {
        return warmupSeconds;
    }

    /** Where to write the JSON report, or null. */
    public Path jsonOut()
    {
        return jsonOut;
    }

    public String label()
    {
        return label;
    }

    /** The node's process id, or -1 when not given. */
    public long nodePid()
    {
        return nodePid;
    }

    public int receiverThreads()
    {
        return receiverThreads;
    }

    /** Clients (the first ones) that stop reading once subscribed, until the drain phase. */
    public int stallClients()
    {
        return stallClients;
    }

    /** No publisher: connections are only held open. */
    public boolean idle()
    {
        return idle;
    }

    /** Whether the JSON report carries the latency percentile distribution. */
    public boolean percentiles()
    {
        return percentiles;
    }
}
