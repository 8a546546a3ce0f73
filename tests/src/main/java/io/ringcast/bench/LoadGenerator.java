package io.ringcast.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end load generator for a Ringcast node: C WebSocket clients subscribed to one topic, one ingest publisher,
 * latency from the publisher's stamp to each client's receipt in an HdrHistogram, and per-client checks that every id
 * arrives exactly once and in order.
 * <p>
 * A run: start the receive threads ({@link ReceiverAgent}, one {@link java.nio.channels.Selector} each, one per core
 * but one by default); connect every client and wait for its {@code subscribed} reply; publish ({@link IngestPublisher})
 * for warm-up + duration; drain for up to {@value #DRAIN_SECONDS} s until every client has every accepted id; stop;
 * report ({@link LoadReport}). Every phase has a deadline, so a run always ends. With a loopback target and more than
 * {@value #CLIENTS_PER_SOURCE_ADDRESS} clients, client i binds source address 127.0.0.(1 + i / 5000) so the
 * ephemeral ports of one address do not run out.
 * <p>
 * Variants: with {@code --stall N} the first N clients stop reading once subscribed and read again when the drain
 * starts; they are reported apart (what they received, whether the node closed them) and do not count as missing
 * for the others. With {@code --idle} there is no publisher: the clients hold their connections for warm-up +
 * duration and the report gives the node's RSS growth per connection (sampled before connecting, once the node's
 * RSS has stopped changing on its own, and at the end).
 * The node's RSS is sampled before the clients connect and once all are subscribed in every run.
 * <p>
 * {@code main} takes the flags of {@link LoadOptions}, prints the report, writes JSON with {@code --json-out}, and
 * exits 0 when the run was clean (no loss, duplicate, reordering or failed client), 1 when not, 2 on bad flags.
 */
public final class LoadGenerator
{
    static final int DRAIN_SECONDS = 5;
    static final int CLIENTS_PER_SOURCE_ADDRESS = 5_000;
    static final long HIGHEST_LATENCY_US = TimeUnit.SECONDS.toMicros(60);
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long NO_PROGRESS_NS = TimeUnit.SECONDS.toNanos(1);
    private static final double SATURATED_PERCENT = 90.0;
    private static final long SETTLE_INTERVAL_MS = 1_000;
    private static final long SETTLE_TOLERANCE_KIB = 512;
    private static final long SETTLE_WINDOW_MS = 6_000;
    private static final long SETTLE_MAX_MS = 30_000;

    private LoadGenerator()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final LoadOptions options;
        try
        {
            options = LoadOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("LoadGenerator: " + ex.getMessage());
            System.err.print(LoadOptions.usage());
            System.exit(2);
            return;
        }
        final LoadReport report = run(options);
        System.out.print(report.toText());
        writeJson(options, report);
        System.exit(report.clean() ? 0 : 1);
    }

    /** Write the JSON report when {@code --json-out} was given. */
    static void writeJson(final LoadOptions options, final LoadReport report) throws IOException
    {
        if (options.jsonOut() != null)
        {
            Files.writeString(options.jsonOut(), report.toJson() + "\n", StandardCharsets.UTF_8);
        }
    }

    /** Run one scenario to the end and return its figures. Blocks for about warm-up + duration + a few seconds. */
    public static LoadReport run(final LoadOptions options) throws IOException, InterruptedException
    {
        final LoadReport report = new LoadReport();
        report.label = options.label();
        report.clients = options.clients();
        report.ratePerSecond = options.ratePerSecond();
        report.payloadBytes = options.payloadBytes();
        report.durationSeconds = options.durationSeconds();
        report.warmupSeconds = options.warmupSeconds();
        report.receiverThreads = options.receiverThreads();
        report.stallClients = options.stallClients();
        report.idle = options.idle();
        final ProcessSampler node = options.nodePid() > 0 ? new ProcessSampler(options.nodePid()) : null;
        final ProcessSampler.Sample beforeConnect = node == null ? null :
            options.idle() ? settledSample(node, report) : node.sample();
        if (beforeConnect != null)
        {
            report.nodeRssBeforeConnectKiB = beforeConnect.rssKiB();
        }

        final AtomicInteger subscribed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final ReceiverAgent[] receivers = new ReceiverAgent[options.receiverThreads()];
        final Thread[] receiverThreads = new Thread[receivers.length];
        final int readBufferBytes = Math.max(256 * 1024, 4 * (options.payloadBytes() + 512));
        for (int i = 0; i < receivers.length; i++)
        {
            receivers[i] = new ReceiverAgent(readBufferBytes, HIGHEST_LATENCY_US, subscribed, failed);
            receiverThreads[i] = new Thread(receivers[i], "bench-receiver-" + i);
            receiverThreads[i].setDaemon(true);
            receiverThreads[i].start();
        }

        IngestPublisher publisher = null;
        try
        {
            final int connected = connectClients(options, receivers, report);
            awaitSubscribed(connected, subscribed, failed, report);
            final ProcessSampler.Sample connectedSample = node != null ? node.sample() : null;
            if (connectedSample != null)
            {
                report.nodeRssConnectedKiB = connectedSample.rssKiB();
            }
            if (options.idle())
            {
                holdIdle(options, node, subscribed.get(), report);
            }
            else
            {
                publisher = IngestPublisher.connect(options.ingestAddress(), options);
                publishAndMeasure(options, receivers, receiverThreads, publisher, subscribed.get(), report);
            }
        }
        catch (final IOException ex)
        {
            report.errors.add("run aborted: " + ex);
        }
        finally
        {
            for (final ReceiverAgent receiver : receivers)
            {
                receiver.stop();
            }
            for (final Thread thread : receiverThreads)
            {
                thread.join(5_000);
            }
            if (publisher != null)
            {
                publisher.close();
            }
        }
        LoadSummary.summarise(receivers, publisher, options.percentiles(), report);
        return report;
    }

    private static int connectClients(final LoadOptions options, final ReceiverAgent[] receivers, final LoadReport report)
    {
        final InetSocketAddress target = options.wsAddress();
        final boolean spreadSources = target.getAddress() != null && target.getAddress().isLoopbackAddress() &&
            options.clients() > CLIENTS_PER_SOURCE_ADDRESS;
        final int maxFailures = Math.max(10, options.clients() / 100);
        int connected = 0;
        int failures = 0;
        for (int i = 0; i < options.clients() && failures < maxFailures; i++)
        {
            final InetSocketAddress source = spreadSources ?
                new InetSocketAddress("127.0.0." + (1 + i / CLIENTS_PER_SOURCE_ADDRESS), 0) : null;
            try
            {
                final BenchClient client = BenchClient.connect(i, target, source, options.topic());
                client.stalled = i < options.stallClients();
                receivers[i % receivers.length].register(client);
                connected++;
            }
            catch (final IOException ex)
            {
                failures++;
                if (report.firstClientFailure == null)
                {
                    report.firstClientFailure = "connect client " + i + ": " + ex;
                }
            }
        }
        report.clientsFailed += failures;
        if (failures >= maxFailures)
        {
            report.errors.add("gave up connecting after " + failures + " failures");
        }
        return connected;
    }

    private static void awaitSubscribed(
        final int connected, final AtomicInteger subscribed, final AtomicInteger failed, final LoadReport report)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30) + TimeUnit.MILLISECONDS.toNanos(connected);
        while (subscribed.get() + failed.get() < connected && System.nanoTime() - deadlineNs < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (subscribed.get() + failed.get() < connected)
        {
            report.errors.add((connected - subscribed.get() - failed.get()) + " clients not subscribed within the deadline");
        }
    }

    /**
     * The node's RSS once it is at rest: a node just started is still loading classes, compiling and filling its
     * first young generation, and the JIT compiler's scratch memory (~15 MB) is only given back by a cleaner that
     * runs every 5 s. None of that is the connections' doing, and sampling it at a random point moved the baseline by
     * ±15 MB between runs (the after sample gets a settle too, the warm-up). At rest: RSS within
     * {@value #SETTLE_TOLERANCE_KIB} KiB over {@value #SETTLE_WINDOW_MS} ms of samples {@value #SETTLE_INTERVAL_MS} ms
     * apart; at most {@value #SETTLE_MAX_MS} ms, then the last sample (with a note on stderr).
     */
    private static ProcessSampler.Sample settledSample(final ProcessSampler node, final LoadReport report)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MAX_MS);
        ProcessSampler.Sample windowStart = node.sample();
        long windowStartNs = System.nanoTime();
        while (windowStart != null)
        {
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_INTERVAL_MS));
            final ProcessSampler.Sample next = node.sample();
            if (next == null)
            {
                return null;
            }
            if (Math.abs(next.rssKiB() - windowStart.rssKiB()) > SETTLE_TOLERANCE_KIB)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    System.err.println("LoadGenerator: note: node RSS still changing " + SETTLE_MAX_MS +
                        " ms before connecting (" + windowStart.rssKiB() + " -> " + next.rssKiB() + " KiB); " +
                        "taking the baseline anyway");
                    return next;
                }
                windowStart = next;
                windowStartNs = System.nanoTime();
            }
            else if (System.nanoTime() - windowStartNs >= TimeUnit.MILLISECONDS.toNanos(SETTLE_WINDOW_MS))
            {
                return next;
            }
        }
        return null;
    }

    /** Idle run: no publisher; let the node settle for the warm-up, then sample its RSS and CPU over the duration. */
    private static void holdIdle(
        final LoadOptions options, final ProcessSampler node, final int subscribedClients, final LoadReport report)
    {
        final long measureFromNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        final long endNs = measureFromNs + TimeUnit.SECONDS.toNanos(options.durationSeconds());
        sleepUntil(measureFromNs);
        final long windowStartNs = System.nanoTime();
        final ProcessSampler.Sample start = node != null ? node.sample() : null;
        sleepUntil(endNs);
        final ProcessSampler.Sample end = node != null ? node.sample() : null;
        report.drainComplete = true;
        if (start == null || end == null)
        {
            if (node != null)
            {
                report.errors.add("cannot read /proc of node pid " + options.nodePid());
            }
            return;
        }
        final double windowNs = System.nanoTime() - windowStartNs;
        report.nodePid = options.nodePid();
        report.nodeRssBeforeKiB = start.rssKiB();
        report.nodeRssAfterKiB = end.rssKiB();
        report.nodePeakRssKiB = end.peakRssKiB();
        report.nodeCpuSeconds = (end.cpuNs() - start.cpuNs()) / 1e9;
        report.nodeCpuPercent = 100.0 * (end.cpuNs() - start.cpuNs()) / windowNs;
        if (subscribedClients > 0 && report.nodeRssBeforeConnectKiB >= 0)
        {
            report.rssBytesPerConnection = (end.rssKiB() - report.nodeRssBeforeConnectKiB) * 1024.0 / subscribedClients;
        }
    }

    private static void publishAndMeasure(
        final LoadOptions options,
        final ReceiverAgent[] receivers,
        final Thread[] receiverThreads,
        final IngestPublisher publisher,
        final int subscribedClients,
        final LoadReport report) throws InterruptedException
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final ProcessSampler node = options.nodePid() > 0 ? new ProcessSampler(options.nodePid()) : null;
        final long startNs = System.nanoTime() + START_DELAY_NS;
        final long measureFromNs = startNs + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        final long endNs = measureFromNs + TimeUnit.SECONDS.toNanos(options.durationSeconds());
        for (final ReceiverAgent receiver : receivers)
        {
            receiver.recorder().measureWindow(measureFromNs, endNs);
        }
        publisher.start(startNs, measureFromNs, endNs);

        sleepUntil(measureFromNs);
        final long windowStartNs = System.nanoTime();
        final long processCpuStartNs = processCpuNs();
        final long publisherCpuStartNs = threads.getThreadCpuTime(publisher.publisherThread().getId());
        final long[] receiverCpuStartNs = new long[receiverThreads.length];
        for (int i = 0; i < receiverThreads.length; i++)
        {
            receiverCpuStartNs[i] = threads.getThreadCpuTime(receiverThreads[i].getId());
        }
        final ProcessSampler.Sample nodeStart = node != null ? node.sample() : null;

        sleepUntil(endNs);
        final double windowNs = System.nanoTime() - windowStartNs;
        report.loadGeneratorCpuSeconds = (processCpuNs() - processCpuStartNs) / 1e9;
        report.loadGeneratorCpuPercent = 100.0 * (report.loadGeneratorCpuSeconds * 1e9) / windowNs;
        for (int i = 0; i < receiverThreads.length; i++)
        {
            final double busy = 100.0 * (threads.getThreadCpuTime(receiverThreads[i].getId()) - receiverCpuStartNs[i]) / windowNs;
            report.receiverBusyPercentMax = Math.max(report.receiverBusyPercentMax, busy);
        }
        report.receiverSaturated = report.receiverBusyPercentMax > SATURATED_PERCENT;
        final ProcessSampler.Sample nodeEnd = node != null ? node.sample() : null;
        if (nodeStart != null && nodeEnd != null)
        {
            report.nodePid = options.nodePid();
            report.nodeRssBeforeKiB = nodeStart.rssKiB();
            report.nodeRssAfterKiB = nodeEnd.rssKiB();
            report.nodePeakRssKiB = nodeEnd.peakRssKiB();
            report.nodeCpuSeconds = (nodeEnd.cpuNs() - nodeStart.cpuNs()) / 1e9;
            report.nodeCpuPercent = 100.0 * (nodeEnd.cpuNs() - nodeStart.cpuNs()) / windowNs;
        }
        else if (node != null)
        {
            report.errors.add("cannot read /proc of node pid " + options.nodePid());
        }

        final long drainStartNs = System.nanoTime();
        final long drainDeadlineNs = drainStartNs + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        for (final ReceiverAgent receiver : receivers)
        {
            receiver.resumeStalled();
        }
        if (publisher.awaitPublisher(drainDeadlineNs))
        {
            report.publisherBusyPercent = 100.0 * (publisher.exitCpuNs() - publisherCpuStartNs) / windowNs;
        }
        else
        {
            report.errors.add("publisher still blocked " + DRAIN_SECONDS + " s after its schedule ended");
        }
        report.drainComplete = drain(receivers, publisher, subscribedClients, drainDeadlineNs);
        report.drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStartNs);
    }

    /**
     * Wait until the node answered every frame and every subscribed client has every accepted id, or until no client
     * made progress for a second after the replies were in (some were closed), or the deadline.
     */
    private static boolean drain(
        final ReceiverAgent[] receivers,
        final IngestPublisher publisher,
        final int subscribedClients,
        final long deadlineNs)
    {
        final boolean publisherDone = !publisher.publisherThread().isAlive();
        long lastTotal = -1;
        long lastProgressNs = System.nanoTime();
        while (System.nanoTime() - deadlineNs < 0)
        {
            final boolean repliesIn = publisherDone && publisher.replies() == publisher.sent();
            long total = 0;
            for (final ReceiverAgent receiver : receivers)
            {
                total += receiver.recorder().deliveries();
            }
            if (repliesIn && total >= publisher.acceptedSoFar() * subscribedClients)
            {
                return true;
            }
            final long nowNs = System.nanoTime();
            if (total != lastTotal)
            {
                lastTotal = total;
                lastProgressNs = nowNs;
            }
            else if (repliesIn && nowNs - lastProgressNs > NO_PROGRESS_NS)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return false;
    }

    private static void sleepUntil(final long deadlineNs)
    {
        long remainingNs;
        while ((remainingNs = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(remainingNs);
        }
    }

    private static long processCpuNs()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
        {
            return ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime();
        }
        return 0;
    }
}
