package io.ringcast.engine.replay;

import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.transport.websocket.FrameEncoder;

import java.util.function.LongSupplier;

/**
 * What every replay job shares on the replay thread: the frame encoder, the frame cache, where rejoin requests go,
 * the heads it must not pass and the counters. Built once by the {@link ReplayAgent}.
 */
final class ReplayContext
{
    final FrameEncoder encoder = new FrameEncoder();
    final FrameCache cache;
    final RejoinRequests rejoin;
    /** The newest journaled id. */
    final LongSupplier head;
    /** The newest id the fan-out has handled (a catch-up never passes it). */
    final LongSupplier fanoutHead;
    /** Ids a catch-up may fall behind the head before it is closed; 0: unlimited. */
    final long maxLag;
    final EngineCounters counters;

    ReplayContext(
        final FrameCache cache,
        final RejoinRequests rejoin,
        final LongSupplier head,
        final LongSupplier fanoutHead,
        final long maxLag,
        final EngineCounters counters)
    {
        this.cache = cache;
        this.rejoin = rejoin;
        this.head = head;
        this.fanoutHead = fanoutHead;
        this.maxLag = maxLag;
        this.counters = counters;
    }
}
