package io.ringcast.transport.buffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer (fan-out) and consumer (I/O thread) sides are driven from the test thread, in the interleavings that
 * matter; the last test runs them on two threads to check nothing is lost or reordered around releases.
 */
class LiveStreamTest
{
    private static final int CAPACITY = 64 * 1024;

    private final LiveStream stream = new LiveStream(CAPACITY);
    private final ByteArrayOutputStream offered = new ByteArrayOutputStream();
    private final LimitedChannel socket = new LimitedChannel();

    @Test
    void shouldHoldNoBufferBeforeTheFirstFrame()
    {
        assertEquals(0, stream.producerPosition());
        stream.endBatch();

        assertFalse(stream.hasBuffers());
        assertNull(stream.head());
        assertFalse(stream.release(), "nothing to release");
    }

    @Test
    void shouldStartSmallAndGrowFourfoldWhenAFrameDoesNotFit() throws Exception
    {
        offer(100, 1);
        assertEquals(LiveStream.INITIAL_CAPACITY_BYTES, stream.head().capacity());

        final UnsafeBuffer big = frame(200, 2);
        assertFalse(stream.offer(big, 0, 200));
        assertTrue(stream.grow(200, stream.queuedBytes()));
        assertTrue(stream.offer(big, 0, 200));
        offered.write(big.byteArray(), 0, 200);
        stream.endBatch();

        drain();
        assertEquals(4 * LiveStream.INITIAL_CAPACITY_BYTES, stream.head().capacity(), "moved on to the bigger one");
        assertArrayEquals(offered.toByteArray(), socket.written());
    }

    @Test
    void shouldReleaseDrainedBuffersAndStartTheNextOneWhereTheStreamEnded() throws Exception
    {
        offer(80, 1);
        offer(90, 2);
        stream.endBatch();
        drain();

        assertTrue(stream.release());
        assertFalse(stream.hasBuffers());
        assertNull(stream.head());
        assertEquals(170, stream.publishedPosition(), "the stream keeps its position");

        offer(50, 3);
        stream.endBatch();
        assertEquals(170, stream.head().consumerPosition(), "the new buffer starts where the old one ended");
        drain();
        assertEquals(220, stream.publishedPosition());
        assertArrayEquals(offered.toByteArray(), socket.written());
    }

    @Test
    void shouldNotReleaseWhileTheProducerIsInABatch() throws Exception
    {
        offer(80, 1);
        drain();

        assertFalse(stream.release(), "the producer may write again before its batch ends");
        offer(40, 2);
        stream.endBatch();
        drain();
        assertArrayEquals(offered.toByteArray(), socket.written());

        assertTrue(stream.release());
    }

    @Test
    void shouldNotReleaseBytesNotYetWrittenAndKeepTheStreamUsable() throws Exception
    {
        offer(80, 1);
        stream.endBatch();

        assertFalse(stream.release(), "80 bytes are not written yet");
        assertTrue(stream.hasBuffers());
        offer(40, 2);
        stream.endBatch();
        drain();
        assertArrayEquals(offered.toByteArray(), socket.written());
        assertTrue(stream.release());
    }

    @Test
    void shouldReleaseOnlyWhenEveryChainedBufferIsDrained() throws Exception
    {
        offer(200, 1);
        final UnsafeBuffer big = frame(500, 2);
        assertFalse(stream.offer(big, 0, 500));
        assertTrue(stream.grow(500, stream.queuedBytes()));
        assertTrue(stream.offer(big, 0, 500));
        offered.write(big.byteArray(), 0, 500);
        stream.endBatch();
        final OutboundBuffer first = stream.head();
        first.writeTo(socket, first.publishedPosition());

        assertFalse(stream.release(), "the second buffer is not written");
        drain();
        assertTrue(stream.release());
        assertArrayEquals(offered.toByteArray(), socket.written());
    }

    @Test
    void shouldReadTheReleasedPositionWithoutCreatingABuffer() throws Exception
    {
        offer(60, 1);
        stream.endBatch();
        drain();
        assertTrue(stream.release());

        assertEquals(60, stream.producerPosition());
        stream.endBatch();
        assertFalse(stream.hasBuffers());
    }

    @Test
    @Timeout(60)
    void shouldNeverLoseOrReorderFramesWhileTheConsumerReleasesConcurrently() throws Exception
    {
        final int frames = 200_000;
        final AtomicBoolean producerDone = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread producer = new Thread(() ->
        {
            try
            {
                final Random random = new Random(7);
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
                int sequence = 0;
                while (sequence < frames)
                {
                    final int batch = 1 + random.nextInt(8);
                    for (int i = 0; i < batch && sequence < frames; i++)
                    {
                        final int length = 8 + random.nextInt(random.nextInt(20) == 0 ? 1000 : 60);
                        frame.putInt(0, sequence);
                        frame.putInt(4, length);
                        while (!stream.offer(frame, 0, length) &&
                            !(stream.grow(length, stream.queuedBytes()) && stream.offer(frame, 0, length)))
                        {
                            // Full: end the batch so the consumer may drain, as the fan-out does at end of batch.
                            stream.endBatch();
                            Thread.onSpinWait();
                        }
                        sequence++;
                    }
                    stream.endBatch();
                    if (random.nextInt(50) == 0)
                    {
                        Thread.yield();
                    }
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
            finally
            {
                producerDone.set(true);
            }
        }, "live-stream-producer");

        final FrameCheckingChannel checker = new FrameCheckingChannel();
        final Random random = new Random(11);
        int releases = 0;
        producer.start();
        while (!producerDone.get() || stream.queuedBytes() > 0)
        {
            final OutboundBuffer head = stream.head();
            if (head != null && head.consumerPosition() < head.publishedPosition())
            {
                head.writeTo(checker, head.publishedPosition());
            }
            else if (random.nextInt(4) == 0 && stream.release())
            {
                releases++;
            }
        }
        producer.join();

        assertNull(failure.get());
        assertEquals(frames, checker.framesSeen, "every frame, in order");
        assertTrue(releases > 0, "the test should release sometimes");
    }

    private void offer(final int length, final int seed) throws Exception
    {
        final UnsafeBuffer frame = frame(length, seed);
        assertTrue(stream.offer(frame, 0, length));
        offered.write(frame.byteArray(), 0, length);
    }

    private void drain() throws Exception
    {
        OutboundBuffer head;
        while ((head = stream.head()) != null && head.consumerPosition() < head.publishedPosition())
        {
            head.writeTo(socket, head.publishedPosition());
        }
    }

    private static UnsafeBuffer frame(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return new UnsafeBuffer(bytes);
    }

    /** Parses what is written back into the stress test's frames: an int sequence number, then the int length. */
    private static final class FrameCheckingChannel extends LimitedChannel
    {
        private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int framesSeen;

        @Override
        protected int take(final ByteBuffer src, final int budget)
        {
            // Never limited here (the default budget): take it all.
            final int n = src.remaining();
            pending.put(src);
            pending.flip();
            while (pending.remaining() >= 8)
            {
                final int start = pending.position();
                final int length = pending.getInt(start + 4);
                if (pending.remaining() < length)
                {
                    break;
                }
                assertEquals(framesSeen, pending.getInt(start), "frame lost or out of order");
                framesSeen++;
                pending.position(start + length);
            }
            pending.compact();
            return n;
        }
    }
}
