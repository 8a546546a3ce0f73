package io.ringcast.bench;

import io.ringcast.transport.codec.JsonText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one load run: throughput, latency percentiles and delivery correctness together, plus the cost on
 * both sides (load generator CPU and receive-thread saturation, node RSS and CPU). Filled in by
 * {@link LoadGenerator}; rendered as text ({@link #toText()}) or JSON ({@link #toJson()}). Latencies are in
 * microseconds, CPU in percent of one core over the measured window (after warm-up).
 */
public final class LoadReport
{
    String label;
    int clients;
    int clientsSubscribed;
    int clientsFailed;
    String firstClientFailure;
    long ratePerSecond;
    int payloadBytes;
    long durationSeconds;
    long warmupSeconds;
    int receiverThreads;
    int stallClients;
    boolean idle;

    long framesSent;
    long published;
    long rejected;
    long measuredPublished;
    double publishedPerSecond;
    long sendLagP99Us;
    long sendLagMaxUs;
    long firstId;
    long lastId;
    long ingestIdGaps;

    long expectedDeliveries;
    long deliveries;
    long measuredDeliveries;
    long receivedInWindow;
    double deliveriesPerSecond;
    long latencyCount;
    double latencyMeanUs;
    long latencyP50Us;
    long latencyP90Us;
    long latencyP99Us;
    long latencyP999Us;
    long latencyMaxUs;

    long missing;
    long missingOnClosedClients;
    long duplicates;
    long outOfOrder;
    long unexpected;
    long protocolErrors;
    long otherMessages;
    String lastOtherMessage;
    int clientsClosedByServer;
    final Map<Integer, Integer> closeCodes = new TreeMap<>();
    long drainMs;
    boolean drainComplete;

    int stalledSubscribed;
    long stalledExpected;
    long stalledDeliveries;
    long stalledMissing;
    long stalledDuplicates;
    long stalledOutOfOrder;
    int stalledClosedByServer;
    final Map<Integer, Integer> stalledCloseCodes = new TreeMap<>();

    /** Latency distribution as (percentile, microseconds) pairs, when asked for with {@code --percentiles}. */
    final List<double[]> percentiles = new ArrayList<>();

    double loadGeneratorCpuSeconds;
    double loadGeneratorCpuPercent;
    double publisherBusyPercent;
    double receiverBusyPercentMax;
    boolean receiverSaturated;

    long nodePid = -1;
    long nodeRssBeforeConnectKiB = -1;
    long nodeRssConnectedKiB = -1;
    double rssBytesPerConnection = -1;
    long nodeRssBeforeKiB = -1;
    long nodeRssAfterKiB = -1;
    long nodePeakRssKiB = -1;
    double nodeCpuSeconds = -1;
    double nodeCpuPercent = -1;

    final List<String> errors = new ArrayList<>();

    /** Whether every subscribed client saw every id exactly once, in order, and nothing failed. */
    public boolean clean()
    {
        return missing == 0 && duplicates == 0 && outOfOrder == 0 && clientsFailed == 0 &&
            clientsSubscribed == clients && rejected == 0 && protocolErrors == 0 && errors.isEmpty();
    }

    /** A human-readable report, one figure per line. */
    public String toText()
    {
        final StringBuilder text = new StringBuilder(2048);
        line(text, "label", label);
        line(text, "clients", clients + " (subscribed " + clientsSubscribed + ", failed " + clientsFailed + ")");
        if (firstClientFailure != null)
        {
            line(text, "first client failure", firstClientFailure);
        }
        line(text, "rate", ratePerSecond == 0 ? "flat out (window)" : ratePerSecond + " msg/s");
        line(text, "payload", payloadBytes + " B");
        line(text, "duration", durationSeconds + " s after " + warmupSeconds + " s warm-up");
        line(text, "receiver threads", Integer.toString(receiverThreads));
        line(text, "published", published + " accepted of " + framesSent + " sent (" + rejected + " rejected), " +
            measuredPublished + " in the measured window = " + fmt(publishedPerSecond) + " msg/s");
        line(text, "ids", firstId + ".." + lastId + " (gaps between accepted ids: " + ingestIdGaps + ")");
        if (ratePerSecond > 0)
        {
            line(text, "publisher lag behind schedule", "p99 " + sendLagP99Us + " us, max " + sendLagMaxUs +
                " us (included in the latency)");
        }
        line(text, "deliveries", deliveries + " of " + expectedDeliveries + " expected; " + receivedInWindow +
            " received in the measured window = " + fmt(deliveriesPerSecond) + " deliveries/s; " + measuredDeliveries +
            " of the messages published in it");
        line(text, "latency us", "p50 " + latencyP50Us + "  p90 " + latencyP90Us + "  p99 " + latencyP99Us +
            "  p99.9 " + latencyP999Us + "  max " + latencyMaxUs + "  mean " + fmt(latencyMeanUs) +
            "  (n=" + latencyCount + ")");
        line(text, "missing", missing + " (of which on clients closed by the server: " + missingOnClosedClients + ")");
        line(text, "duplicates", Long.toString(duplicates));
        line(text, "out of order", Long.toString(outOfOrder));
        line(text, "unexpected extra", Long.toString(unexpected));
        line(text, "protocol errors", Long.toString(protocolErrors));
        line(text, "other messages", otherMessages + (lastOtherMessage == null ? "" : " (last: " + lastOtherMessage + ")"));
        line(text, "closed by server", clientsClosedByServer + " " + closeCodes);
        line(text, "drain", drainMs + " ms, " + (drainComplete ? "complete" : "incomplete"));
        if (stallClients > 0)
        {
            line(text, "stalled clients", stalledSubscribed + " subscribed, received " + stalledDeliveries + " of " +
                stalledExpected + " (missing " + stalledMissing + ", duplicates " + stalledDuplicates +
                ", out of order " + stalledOutOfOrder + "), closed by server " + stalledClosedByServer + " " +
                stalledCloseCodes + " (not counted above)");
        }
        line(text, "loadgen cpu", fmt(loadGeneratorCpuSeconds) + " s = " + fmt(loadGeneratorCpuPercent) +
            "% of one core; publisher " + fmt(publisherBusyPercent) + "%, busiest receiver " +
            fmt(receiverBusyPercentMax) + "%" + (receiverSaturated ? " (SATURATED: figures bound by the load generator)" : ""));
        if (nodePid > 0)
        {
            line(text, "node pid", Long.toString(nodePid));
            line(text, "node rss", nodeRssBeforeConnectKiB / 1024 + " MiB before connecting, " +
                nodeRssConnectedKiB / 1024 + " MiB connected, " + nodeRssBeforeKiB / 1024 + " MiB at measure start, " +
                nodeRssAfterKiB / 1024 + " MiB after, peak " + nodePeakRssKiB / 1024 + " MiB");
            if (rssBytesPerConnection >= 0)
            {
                line(text, "node rss per connection", fmt(rssBytesPerConnection) + " B");
            }
            line(text, "node cpu", fmt(nodeCpuSeconds) + " s = " + fmt(nodeCpuPercent) + "% of one core");
        }
        for (final String error : errors)
        {
            line(text, "error", error);
        }
        line(text, "verdict", clean() ? "CLEAN" : "PROBLEMS");
        return text.toString();
    }

    /** The same figures as one JSON object. */
    public String toJson()
    {
        final StringBuilder json = new StringBuilder(2048).append('{');
        field(json, "label", label);
        field(json, "clients", clients);
        field(json, "clientsSubscribed", clientsSubscribed);
        field(json, "clientsFailed", clientsFailed);
        field(json, "rate", ratePerSecond);
        field(json, "sizeBytes", payloadBytes);
        field(json, "durationSeconds", durationSeconds);
        field(json, "warmupSeconds", warmupSeconds);
        field(json, "receiverThreads", receiverThreads);
        field(json, "stallClients", stallClients);
        json.append("\"idle\":").append(idle).append(',');
        field(json, "framesSent", framesSent);
        field(json, "published", published);
        field(json, "rejected", rejected);
        field(json, "measuredPublished", measuredPublished);
        field(json, "publishedPerSecond", publishedPerSecond);
        field(json, "sendLagP99Us", sendLagP99Us);
        field(json, "sendLagMaxUs", sendLagMaxUs);
        field(json, "firstId", firstId);
        field(json, "lastId", lastId);
        field(json, "ingestIdGaps", ingestIdGaps);
        field(json, "expectedDeliveries", expectedDeliveries);
        field(json, "deliveries", deliveries);
        field(json, "measuredDeliveries", measuredDeliveries);
        field(json, "receivedInWindow", receivedInWindow);
        field(json, "deliveriesPerSecond", deliveriesPerSecond);
        json.append("\"latencyUs\":{");
        field(json, "count", latencyCount);
        field(json, "mean", latencyMeanUs);
        field(json, "p50", latencyP50Us);
        field(json, "p90", latencyP90Us);
        field(json, "p99", latencyP99Us);
        field(json, "p99_9", latencyP999Us);
        field(json, "max", latencyMaxUs);
        closeObject(json);
        json.append(',');
        field(json, "missing", missing);
        field(json, "missingOnClosedClients", missingOnClosedClients);
        field(json, "duplicates", duplicates);
        field(json, "outOfOrder", outOfOrder);
        field(json, "unexpected", unexpected);
        field(json, "protocolErrors", protocolErrors);
        field(json, "otherMessages", otherMessages);
        field(json, "clientsClosedByServer", clientsClosedByServer);
        json.append("\"closeCodes\":{");
        for (final Map.Entry<Integer, Integer> entry : closeCodes.entrySet())
        {
            field(json, entry.getKey().toString(), entry.getValue());
        }
        closeObject(json);
        json.append(',');
        json.append("\"stalled\":{");
        field(json, "subscribed", stalledSubscribed);
        field(json, "expected", stalledExpected);
        field(json, "deliveries", stalledDeliveries);
        field(json, "missing", stalledMissing);
        field(json, "duplicates", stalledDuplicates);
        field(json, "outOfOrder", stalledOutOfOrder);
        field(json, "closedByServer", stalledClosedByServer);
        json.append("\"closeCodes\":{");
        for (final Map.Entry<Integer, Integer> entry : stalledCloseCodes.entrySet())
        {
            field(json, entry.getKey().toString(), entry.getValue());
        }
        closeObject(json);
        closeObject(json);
        json.append(',');
        field(json, "drainMs", drainMs);
        json.append("\"drainComplete\":").append(drainComplete).append(',');
        field(json, "loadGeneratorCpuSeconds", loadGeneratorCpuSeconds);
        field(json, "loadGeneratorCpuPercent", loadGeneratorCpuPercent);
        field(json, "publisherBusyPercent", publisherBusyPercent);
        field(json, "receiverBusyPercentMax", receiverBusyPercentMax);
        json.append("\"receiverSaturated\":").append(receiverSaturated).append(',');
        if (nodePid > 0)
        {
            json.append("\"node\":{");
            field(json, "pid", nodePid);
            field(json, "rssBeforeConnectKiB", nodeRssBeforeConnectKiB);
            field(json, "rssConnectedKiB", nodeRssConnectedKiB);
            field(json, "rssBytesPerConnection", rssBytesPerConnection);
            field(json, "rssBeforeKiB", nodeRssBeforeKiB);
            field(json, "rssAfterKiB", nodeRssAfterKiB);
            field(json, "peakRssKiB", nodePeakRssKiB);
            field(json, "cpuSeconds", nodeCpuSeconds);
            field(json, "cpuPercent", nodeCpuPercent);
            closeObject(json);
            json.append(',');
        }
        json.append("\"percentiles\":[");
        for (int i = 0; i < percentiles.size(); i++)
        {
            final double[] point = percentiles.get(i);
            json.append(i == 0 ? "[" : ",[").append(String.format(Locale.ROOT, "%.6f", point[0])).append(',')
                .append((long)point[1]).append(']');
        }
        json.append("],");
        json.append("\"errors\":[");
        for (int i = 0; i < errors.size(); i++)
        {
            json.append(i == 0 ? "" : ",");
            quote(json, errors.get(i));
        }
        json.append("],\"clean\":").append(clean()).append('}');
        return json.toString();
    }

    private static void line(final StringBuilder text, final String name, final String value)
    {
        text.append(String.format(Locale.ROOT, "%-30s %s%n", name + ":", value));
    }

    private static String fmt(final double value)
    {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void field(final StringBuilder json, final String name, final long value)
    {
        quote(json, name);
        json.append(':').append(value).append(',');
    }

    private static void field(final StringBuilder json, final String name, final double value)
    {
        quote(json, name);
        json.append(':').append(String.format(Locale.ROOT, "%.3f", value)).append(',');
    }

    private static void field(final StringBuilder json, final String name, final String value)
    {
        quote(json, name);
        json.append(':');
        if (value == null)
        {
            json.append("null");
        }
        else
        {
            quote(json, value);
        }
        json.append(',');
    }

    private static void closeObject(final StringBuilder json)
    {
        if (json.charAt(json.length() - 1) == ',')
        {
            json.setLength(json.length() - 1);
        }
        json.append('}');
    }

    private static void quote(final StringBuilder json, final String value)
    {
        json.append(JsonText.quote(value));
    }
}
