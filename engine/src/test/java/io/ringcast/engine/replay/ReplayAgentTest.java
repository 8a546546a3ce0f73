package io.ringcast.engine.replay;

import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.engine.testing.FakeReplayStream;
import io.ringcast.engine.testing.FakeSubscriber;
import io.ringcast.journal.Journal;
import io.ringcast.journal.JournalReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay agent's duty cycle driven on the test thread, with fake clients and a hand-advanced clock. */
class ReplayAgentTest
{
    private final EngineCounters counters = new EngineCounters();
    private final FakeRejoinRequests rejoin = new FakeRejoinRequests();
    private long nowNs = 1_000;
    private long head;
    private Journal journal;

    @TempDir
    Path dir;

    @AfterEach
    void closeJournal()
    {
        if (journal != null)
        {
            journal.close();
        }
    }

    @Test
    void shouldAbortAJobWhoseJournalCannotBeOpenedSoItsClientResumes()
    {
        final ReplayAgent agent = agent(() ->
        {
            throw new IllegalStateException("journal gone");
        }, 16);
        final FakeSubscriber client = new FakeSubscriber(7);
        final FakeReplayStream stream = new FakeReplayStream();

        assertTrue(agent.offer(new ReplayJob(client, stream, List.of("prices"), List.of(), 0, 10, 0)));
        agent.doWork();

        assertEquals(1011, client.closeCode, "closed so that it resumes by id, not left waiting");
        assertFalse(stream.completed, "an incomplete stream ends the client's stream with it");
        assertEquals(1, counters.replayFailures.get());
        assertEquals(0, agent.doWork(), "nothing left to serve");
    }

    @Test
    void shouldRefuseAJobWhenItsQueueIsFullAndAskTheFanoutForItOnceThereIsRoom()
    {
        final ReplayAgent agent = agent(() ->
        {
            throw new IllegalStateException("not needed");
        }, 2);
        final FakeSubscriber client = new FakeSubscriber(1);

        assertTrue(agent.offer(job(client, 0, 1)));
        assertTrue(agent.offer(job(client, 0, 1)));
        assertFalse(agent.offer(job(client, 0, 1)), "full: the fan-out keeps it");
        assertEquals(0, rejoin.pendingJobRequests);

        rejoin.ringFull = true;
        agent.doWork();
        assertEquals(1, rejoin.pendingJobRequests, "asked once the queue was drained");

        rejoin.ringFull = false;
        agent.doWork();
        assertEquals(2, rejoin.pendingJobRequests, "the ring was full: asked again on the next duty cycle");

        agent.doWork();
        assertEquals(2, rejoin.pendingJobRequests, "asked once per refused offer, not on every cycle");
    }

    @Test
    void shouldReplayTheClientsMessagesUpToTheHeadThenCompleteItsStream()
    {
        openJournal("prices", "news", "prices");
        final ReplayAgent agent = agent(journal::newReader, 16);
        final FakeSubscriber client = new FakeSubscriber(1);
        final FakeReplayStream stream = new FakeReplayStream();

        agent.offer(new ReplayJob(client, stream, List.of("prices"), List.of(), 0, 3, 0));
        agent.doWork();

        assertEquals(2, stream.frames.size(), "ids 1 and 3, not the news");
        assertTrue(stream.completed);
        assertEquals(2, counters.framesReplayed.get());
        assertEquals(0, client.closeCode);
    }

    @Test
    void shouldRetryTheRejoinOnTheNextDutyCycleWhenTheRingIsFullInsteadOfWaiting()
    {
        openJournal("prices", "prices", "prices");
        final ReplayAgent agent = agent(journal::newReader, 16);
        final FakeSubscriber client = new FakeSubscriber(1);
        client.lagging = true;
        final FakeReplayStream stream = new FakeReplayStream();
        final ReplayJob catchUp = new ReplayJob(client, stream, List.of("prices"), List.of(), 0, ReplayJob.OPEN_ENDED, 0);
        agent.offer(catchUp);
        rejoin.ringFull = true;

        agent.doWork();

        assertEquals(3, stream.frames.size());
        assertEquals(1, rejoin.rejoinAttempts, "tried once, returned to its duty cycle");
        assertEquals(1, counters.rejoinsDeferred.get());
        assertEquals(1, agent.activeCatchUps());

        rejoin.ringFull = false;
        nowNs += 1_000;
        agent.doWork();

        assertEquals(2, rejoin.rejoinAttempts);
        assertEquals(1, rejoin.rejoins);

        catchUp.rejoinedAfter(3);
        agent.doWork();
        assertTrue(stream.completed, "the catch-up ends where live delivery took over");
        assertEquals(0, agent.activeCatchUps());
    }

    @Test
    void shouldCloseACatchUpThatFallsMoreThanMaxLagBehindWith4001()
    {
        openJournal("prices", "prices", "prices");
        final ReplayAgent agent = new ReplayAgent(journal::newReader, counters, () -> head, () -> 0L, 2, () -> nowNs, 16);
        agent.rejoinRequests(rejoin);
        final FakeSubscriber client = new FakeSubscriber(1);
        final FakeReplayStream stream = new FakeReplayStream();
        agent.offer(new ReplayJob(client, stream, List.of("prices"), List.of(), 0, ReplayJob.OPEN_ENDED, 0));

        agent.doWork();

        assertEquals(4001, client.closeCode, "3 ids behind with --max-lag 2");
        assertEquals(1, counters.maxLagCloses.get());
        assertFalse(stream.completed);
        assertEquals(0, agent.activeCatchUps());
    }

    @Test
    void shouldStopServingAClientWhoseStreamWasCancelled()
    {
        openJournal("prices", "prices");
        final ReplayAgent agent = agent(journal::newReader, 16);
        final FakeSubscriber client = new FakeSubscriber(1);
        final FakeReplayStream stream = new FakeReplayStream();
        stream.cancelled = true;
        agent.offer(new ReplayJob(client, stream, List.of("prices"), List.of(), 0, 2, 0));

        agent.doWork();

        assertTrue(stream.frames.isEmpty());
        assertFalse(stream.completed, "not complete: the client's stream ends with it");
        assertEquals(0, agent.doWork());
    }

    private ReplayJob job(final FakeSubscriber client, final long from, final long to)
    {
        return new ReplayJob(client, new FakeReplayStream(), List.of("prices"), List.of(), from, to, 0);
    }

    private ReplayAgent agent(final Supplier<JournalReader> readers, final int capacity)
    {
        final ReplayAgent agent = new ReplayAgent(readers, counters, () -> head, () -> head, 0, () -> nowNs, capacity);
        agent.rejoinRequests(rejoin);
        return agent;
    }

    private void openJournal(final String... topics)
    {
        journal = Journal.open(dir, "FAST_HOURLY");
        for (final String topic : topics)
        {
            final byte[] target = topic.getBytes(StandardCharsets.US_ASCII);
            final byte[] payload = ("m" + (head + 1)).getBytes(StandardCharsets.US_ASCII);
            journal.append(++head, (byte)0, target, target.length, payload, payload.length);
        }
    }

    private static final class FakeRejoinRequests implements RejoinRequests
    {
        boolean ringFull;
        int rejoinAttempts;
        int rejoins;
        int pendingJobRequests;

        @Override
        public boolean requestRejoin(final ReplayJob job)
        {
            rejoinAttempts++;
            if (ringFull)
            {
                return false;
            }
            rejoins++;
            return true;
        }

        @Override
        public boolean requestPendingJobs()
        {
            pendingJobRequests++;
            return !ringFull;
        }
    }
}
