package io.ringcast.engine.fanout;

import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.engine.pipeline.MessageEvent;
import io.ringcast.engine.pipeline.TestEvents;
import io.ringcast.engine.replay.ReplayJob;
import io.ringcast.engine.replay.ReplayJobs;
import io.ringcast.engine.testing.FakeSubscriber;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.websocket.WebSocketFrames;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out handler driven on the test thread with fake clients and a fake replay queue. */
class FanoutHandlerTest
{
    private static final String EPOCH = "e1";

    private final EngineCounters counters = new EngineCounters();
    private final FakeReplayJobs replayJobs = new FakeReplayJobs();
    private final AtomicLong publishedHead = new AtomicLong();
    private final FanoutHandler handler = new FanoutHandler(
        counters, EPOCH, 0, () -> 1, replayJobs, publishedHead, 0);
    private long sequence;

    @Test
    void shouldEncodeOnceAndQueueTheFrameForEverySubscriberOfTheTopic()
    {
        final FakeSubscriber a = subscribed(1, "prices");
        final FakeSubscriber b = subscribed(2, "prices");
        final FakeSubscriber other = subscribed(3, "news");

        send(TestEvents.message(1, "prices", "{\"p\":1}"), true);

        assertEquals(2, a.frames.size(), "subscribed reply, then the message");
        assertEquals(2, b.frames.size());
        assertEquals(1, other.frames.size(), "only its subscribed reply");
        assertTrue(a.text(1).contains("\"id\":1"), a.text(1));
        assertEquals(1, counters.framesEncoded.get(), "encoded once for both");
        assertEquals(2 + 3, counters.framesQueued.get(), "two deliveries and three replies");
        assertFalse(a.dirty, "flushed at the end of the batch");
        assertEquals(1, publishedHead.get());
        assertEquals(1, handler.head());
    }

    @Test
    void shouldMoveAClientWhoseBufferIsFullToCatchUpWithoutHoldingUpTheOthers()
    {
        final FakeSubscriber slow = subscribed(1, "prices");
        final FakeSubscriber fast = subscribed(2, "prices");
        slow.maxFrames = slow.frames.size();

        send(TestEvents.message(1, "prices", "1"), false);
        send(TestEvents.message(2, "prices", "2"), true);

        assertEquals(3, fast.frames.size());
        assertTrue(slow.lagging, "served from the journal now");
        assertEquals(1, replayJobs.accepted.size(), "one catch-up, not one per message");
        final ReplayJob job = replayJobs.accepted.get(0);
        assertTrue(job.isCatchUp());
        assertSame(slow, job.session());
        assertEquals(0, job.lastId(), "catches up from the first message it missed");
        assertEquals(1, counters.catchUpsStarted.get());
    }

    @Test
    void shouldKeepAReplayJobPendingWhenTheReplayQueueIsFullAndOfferItAtTheEndOfTheNextBatch()
    {
        final FakeSubscriber slow = subscribed(1, "prices");
        slow.maxFrames = slow.frames.size();
        replayJobs.full = true;

        send(TestEvents.message(1, "prices", "1"), true);

        assertTrue(replayJobs.accepted.isEmpty());
        assertEquals(1, handler.pendingReplayJobs(), "kept by the fan-out, not spun on");
        assertEquals(1, counters.replayJobsDeferred.get());

        replayJobs.full = false;
        send(TestEvents.message(2, "news", "2"), true);

        assertEquals(0, handler.pendingReplayJobs());
        assertEquals(1, replayJobs.accepted.size());
        assertSame(slow, replayJobs.accepted.get(0).session());
    }

    @Test
    void shouldOfferPendingReplayJobsWhenTheReplayThreadAsksForThem()
    {
        final FakeSubscriber slow = subscribed(1, "prices");
        slow.maxFrames = slow.frames.size();
        replayJobs.full = true;
        send(TestEvents.message(1, "prices", "1"), false);
        assertEquals(1, handler.pendingReplayJobs());

        replayJobs.full = false;
        send(TestEvents.replayJobsWanted(), false);

        assertEquals(0, handler.pendingReplayJobs());
        assertEquals(1, replayJobs.accepted.size());
    }

    @Test
    void shouldDeliverLiveAgainAfterTheCatchUpRejoins()
    {
        final FakeSubscriber slow = subscribed(1, "prices");
        slow.maxFrames = slow.frames.size();
        send(TestEvents.message(1, "prices", "1"), true);
        final ReplayJob job = replayJobs.accepted.get(0);
        slow.maxFrames = Integer.MAX_VALUE;

        send(TestEvents.message(2, "prices", "2"), true);
        assertEquals(1, slow.frames.size(), "skipped while lagging");

        send(TestEvents.rejoin(job), true);
        send(TestEvents.message(3, "prices", "3"), true);

        assertFalse(slow.lagging);
        assertEquals(2, slow.frames.size());
        assertTrue(slow.text(1).contains("\"id\":3"), slow.text(1));
    }

    @Test
    void shouldStartAResumeJobFromTheRequestedIdUpToTheHead()
    {
        send(TestEvents.message(1, "x", "1"), false);
        send(TestEvents.message(2, "x", "2"), true);
        final FakeSubscriber client = new FakeSubscriber(9);

        send(TestEvents.request(client, ClientRequest.subscribe(List.of("prices"), 0, EPOCH)), true);

        assertEquals(1, replayJobs.accepted.size());
        final ReplayJob job = replayJobs.accepted.get(0);
        assertFalse(job.isCatchUp());
        assertEquals(0, job.lastId());
        assertTrue(client.frames.isEmpty(), "the reply goes first in the replay stream");
        assertEquals(1, client.replays.size());
        assertEquals(1, client.replays.get(0).frames.size());
        assertEquals(1, counters.replaysStarted.get());
    }

    @Test
    void shouldCloseWith4001WhenThereIsNoRoomForAReply()
    {
        final FakeSubscriber full = new FakeSubscriber(1);
        full.maxFrames = 0;

        send(TestEvents.request(full, ClientRequest.subscribe(List.of("prices"), ClientRequest.NO_FROM, null)), true);

        assertEquals(WebSocketFrames.CLOSE_SLOW_CLIENT, full.closeCode);
        assertEquals(1, counters.noRoomCloses.get());
        assertEquals(0, handler.channelCount(false), "removed from the channel it had just joined");
    }

    @Test
    void shouldRemoveAClosedClientFromEveryChannel()
    {
        final FakeSubscriber client = subscribed(1, "prices");
        send(TestEvents.request(client, ClientRequest.join("workers", ClientRequest.NO_FROM, null)), true);
        assertEquals(1, handler.channelCount(false));
        assertEquals(1, handler.channelCount(true));

        send(TestEvents.closed(client), true);
        send(TestEvents.message(1, "prices", "1"), true);

        assertEquals(0, handler.channelCount(false));
        assertEquals(0, handler.channelCount(true));
        assertEquals(2, client.frames.size(), "only its two replies");
    }

    private FakeSubscriber subscribed(final long sessionId, final String topic)
    {
        final FakeSubscriber subscriber = new FakeSubscriber(sessionId);
        send(TestEvents.request(subscriber, ClientRequest.subscribe(List.of(topic), ClientRequest.NO_FROM, null)), true);
        assertTrue(subscriber.text(0).contains("\"subscribed\""), subscriber.text(0));
        return subscriber;
    }

    private void send(final MessageEvent event, final boolean endOfBatch)
    {
        handler.onEvent(event, sequence++, endOfBatch);
    }

    private static final class FakeReplayJobs implements ReplayJobs
    {
        final List<ReplayJob> accepted = new ArrayList<>();
        boolean full;

        @Override
        public boolean offer(final ReplayJob job)
        {
            if (full)
            {
                return false;
            }
            accepted.add(job);
            return true;
        }
    }
}
