package io.ringcast.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The end of a load run: merges what every {@link ReceiverAgent} recorded (latency histograms, per-client order and
 * counts, close codes) with what the publisher had accepted, into the {@link LoadReport}. Runs on the main thread
 * once the receive threads have ended.
 */
final class LoadSummary
{
    private static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;

    private LoadSummary()
    {
    }

    /** Merge the receivers' histograms and per-client counts into the report (all threads have ended). */
    static void summarise(
        final ReceiverAgent[] receivers,
        final IngestPublisher publisher,
        final boolean percentiles,
        final LoadReport report)
    {
        final long accepted = publisher != null ? publisher.accepted() : 0;
        final long firstId = publisher != null ? publisher.firstId() : 0;
        final long lastId = publisher != null ? publisher.lastId() : 0;
        if (publisher != null)
        {
            report.framesSent = publisher.sent();
            report.published = accepted;
            final long[] statuses = publisher.statusCounts();
            for (int status = 1; status < statuses.length; status++)
            {
                report.rejected += statuses[status];
                if (statuses[status] > 0)
                {
                    report.errors.add(statuses[status] + " publishes rejected with ingest status " + status);
                }
            }
            report.measuredPublished = publisher.measuredSent();
            report.publishedPerSecond = publisher.measuredSent() / (double)report.durationSeconds;
            report.sendLagP99Us = publisher.sendLagUs().getValueAtPercentile(99);
            report.sendLagMaxUs = publisher.sendLagUs().getMaxValue();
            report.firstId = firstId;
            report.lastId = lastId;
            report.ingestIdGaps = publisher.idGaps();
            if (publisher.publishError() != null)
            {
                report.errors.add("publisher: " + publisher.publishError());
            }
            if (publisher.replyError() != null)
            {
                report.errors.add("ingest replies: " + publisher.replyError());
            }
            if (report.framesSent != publisher.statusCounts()[0] + report.rejected)
            {
                report.errors.add((report.framesSent - accepted - report.rejected) + " ingest frames never answered");
            }
        }

        final Histogram latency = new Histogram(1, LoadGenerator.HIGHEST_LATENCY_US, 3);
        for (final ReceiverAgent receiver : receivers)
        {
            latency.add(receiver.recorder().histogram());
            report.measuredDeliveries += receiver.recorder().measuredDeliveries();
            report.receivedInWindow += receiver.recorder().receivedInWindow();
            report.protocolErrors += receiver.protocolErrors();
            if (receiver.lastOtherMessage() != null)
            {
                report.lastOtherMessage = receiver.lastOtherMessage();
            }
            if (receiver.error() != null)
            {
                report.errors.add("receiver: " + receiver.error());
            }
            final int[] codes = receiver.closeCodeCounts();
            for (int code = 0; code < codes.length; code++)
            {
                if (codes[code] > 0)
                {
                    report.closeCodes.merge(code, codes[code], Integer::sum);
                }
            }
            for (final BenchClient client : receiver.clients())
            {
                summariseClient(client, accepted, firstId, lastId, report);
            }
        }
        // Throughput as the clients saw it: what they received during the window. (Counting the messages published
        // in the window instead made a flood's figure jump in steps of the publisher's window and depend on how
        // much of the backlog drained afterwards.)
        report.deliveriesPerSecond = report.receivedInWindow / (double)report.durationSeconds;
        report.latencyCount = latency.getTotalCount();
        report.latencyMeanUs = latency.getMean();
        report.latencyP50Us = latency.getValueAtPercentile(50);
        report.latencyP90Us = latency.getValueAtPercentile(90);
        report.latencyP99Us = latency.getValueAtPercentile(99);
        report.latencyP999Us = latency.getValueAtPercentile(99.9);
        report.latencyMaxUs = latency.getMaxValue();
        if (percentiles && latency.getTotalCount() > 0)
        {
            for (final HistogramIterationValue value : latency.percentiles(PERCENTILE_TICKS_PER_HALF_DISTANCE))
            {
                report.percentiles.add(new double[]{value.getPercentileLevelIteratedTo(), value.getValueIteratedTo()});
            }
        }
    }

    private static void summariseClient(
        final BenchClient client, final long accepted, final long firstId, final long lastId, final LoadReport report)
    {
        if (client.failure != null)
        {
            report.clientsFailed++;
            if (report.firstClientFailure == null)
            {
                report.firstClientFailure = "client " + client.index + ": " + client.failure;
            }
        }
        if (client.headId < 0)
        {
            return;
        }
        report.clientsSubscribed++;
        if (client.stalled)
        {
            summariseStalledClient(client, expectedFor(client, accepted, firstId, lastId), report);
            return;
        }
        if (client.serverCloseCode != 0)
        {
            report.clientsClosedByServer++;
        }
        final long expected = expectedFor(client, accepted, firstId, lastId);
        report.expectedDeliveries += expected;
        report.deliveries += client.inOrder;
        report.duplicates += client.duplicates;
        report.outOfOrder += client.outOfOrder;
        report.otherMessages += client.otherMessages;
        if (client.inOrder < expected)
        {
            report.missing += expected - client.inOrder;
            if (client.serverCloseCode != 0)
            {
                report.missingOnClosedClients += expected - client.inOrder;
            }
        }
        else
        {
            report.unexpected += client.inOrder - expected;
        }
    }

    /**
     * Ids are expected from the first accepted id after the client's subscription on; all clients normally subscribe
     * before the first publish, so this is every accepted id.
     */
    private static long expectedFor(final BenchClient client, final long accepted, final long firstId, final long lastId)
    {
        if (client.headId < firstId || accepted == 0)
        {
            return accepted;
        }
        return Math.max(0, lastId - client.headId);
    }

    private static void summariseStalledClient(final BenchClient client, final long expected, final LoadReport report)
    {
        report.stalledSubscribed++;
        report.stalledExpected += expected;
        report.stalledDeliveries += client.inOrder;
        report.stalledDuplicates += client.duplicates;
        report.stalledOutOfOrder += client.outOfOrder;
        if (client.inOrder < expected)
        {
            report.stalledMissing += expected - client.inOrder;
        }
        if (client.serverCloseCode != 0)
        {
            report.stalledClosedByServer++;
            report.stalledCloseCodes.merge(client.serverCloseCode, 1, Integer::sum);
        }
    }
}
