package io.ringcast.bench.jmh;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ringcast.engine.pipeline.MessageEvent;
import io.ringcast.engine.pipeline.RingPublisher;
import io.ringcast.transport.InboundMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ring publish: {@link RingPublisher#publish(InboundMessage)} of a 100-byte text message into the engine's Disruptor
 * ring of {@link MessageEvent}s, configured as the node does (multi-producer, blocking wait strategy, 16,384 slots),
 * with one no-op consumer. Measures the claim + translate (copy of target and payload into the slot) + publish, and
 * the wake-up of a waiting consumer that the blocking strategy costs.
 */
@State(Scope.Benchmark)
public class RingPublishBenchmark
{
    private static final int RING_SIZE = 16_384;

    private Disruptor<MessageEvent> disruptor;
    private RingPublisher publisher;
    private InboundMessage message;

    @Setup
    public void setUp()
    {
        disruptor = new Disruptor<>(
            MessageEvent::new, RING_SIZE, DaemonThreadFactory.INSTANCE, ProducerType.MULTI, new BlockingWaitStrategy());
        final EventHandler<MessageEvent> consumer = (event, sequence, endOfBatch) ->
        {
        };
        disruptor.handleEventsWith(consumer);
        final RingBuffer<MessageEvent> ring = disruptor.start();
        publisher = new RingPublisher(ring);
        message = BenchFrames.textMessage(100);
    }

    @TearDown
    public void tearDown()
    {
        disruptor.halt();
    }

    @Benchmark
    public void publish()
    {
        publisher.publish(message);
    }
}
