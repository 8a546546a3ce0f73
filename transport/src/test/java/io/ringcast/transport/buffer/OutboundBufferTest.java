package io.ringcast.transport.buffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundBufferTest
{
    @Test
    void shouldRoundCapacityUpToPowerOfTwo()
    {
        assertEquals(1024, new OutboundBuffer(1000).capacity());
        assertEquals(4096, new OutboundBuffer(4096).capacity());
    }

    @Test
    void shouldRefuseFrameThatDoesNotFitAndAppendNothing()
    {
        final OutboundBuffer buffer = new OutboundBuffer(64);
        final UnsafeBuffer frame = frameOf(20, 1);

        assertTrue(buffer.offer(frame, 0, 20));
        assertTrue(buffer.offer(frame, 0, 20));
        assertTrue(buffer.offer(frame, 0, 20));
        assertFalse(buffer.offer(frame, 0, 20));
        assertEquals(60, buffer.queuedBytes());
        assertEquals(60, buffer.publishedPosition());

        assertTrue(buffer.offer(frame, 0, 4), "exactly the free space still fits");
        assertEquals(64, buffer.queuedBytes());
        assertFalse(buffer.offer(frame, 0, 1));
    }

    @Test
    void shouldRefuseFrameLargerThanCapacity()
    {
        final OutboundBuffer buffer = new OutboundBuffer(64);

        assertFalse(buffer.offer(frameOf(65, 1), 0, 65));
        assertEquals(0, buffer.queuedBytes());
    }

    @Test
    void shouldAcceptAgainOnceConsumerHasWritten() throws Exception
    {
        final OutboundBuffer buffer = new OutboundBuffer(64);
        final UnsafeBuffer frame = frameOf(32, 1);
        final LimitedChannel channel = new LimitedChannel(16);
        assertTrue(buffer.offer(frame, 0, 32));
        assertTrue(buffer.offer(frame, 0, 32));
        assertFalse(buffer.offer(frame, 0, 32));

        assertEquals(16, buffer.writeTo(channel, buffer.publishedPosition()));
        assertFalse(buffer.offer(frame, 0, 32), "only 16 bytes free");
        assertEquals(16, buffer.writeTo(channel, buffer.publishedPosition()));
        assertTrue(buffer.offer(frame, 0, 32));
    }

    @Test
    void shouldMoveConsumerPositionByBytesTheChannelTook() throws Exception
    {
        final OutboundBuffer buffer = new OutboundBuffer(256);
        final UnsafeBuffer frame = frameOf(100, 7);
        final LimitedChannel channel = new LimitedChannel(30);
        buffer.offer(frame, 0, 100);
        final long limit = buffer.publishedPosition();

        assertEquals(30, buffer.writeTo(channel, limit));
        assertEquals(30, buffer.consumerPosition());
        assertEquals(70, buffer.queuedBytes());
        assertEquals(30, buffer.writeTo(channel, limit));
        assertEquals(30, buffer.writeTo(channel, limit));
        assertEquals(10, buffer.writeTo(channel, limit));
        assertEquals(100, buffer.consumerPosition());
        assertEquals(0, buffer.writeTo(channel, limit), "nothing left to write");
        assertEquals(0, buffer.queuedBytes());
        assertArrayEquals(bytesOf(frame, 100), channel.written());
    }

    @Test
    void shouldNotMoveWhenTheChannelIsFull() throws Exception
    {
        final OutboundBuffer buffer = new OutboundBuffer(64);
        buffer.offer(frameOf(10, 1), 0, 10);
        final LimitedChannel channel = new LimitedChannel(0);

        assertEquals(0, buffer.writeTo(channel, buffer.publishedPosition()));
        assertEquals(0, buffer.consumerPosition());
        assertEquals(10, buffer.queuedBytes());
    }

    @Test
    void shouldWriteOnlyUpToTheGivenLimit() throws Exception
    {
        final OutboundBuffer buffer = new OutboundBuffer(64);
        final UnsafeBuffer first = frameOf(10, 1);
        final UnsafeBuffer second = frameOf(10, 2);
        buffer.offer(first, 0, 10);
        final long firstFrameEnd = buffer.publishedPosition();
        buffer.offer(second, 0, 10);
        final LimitedChannel channel = new LimitedChannel(1000);

        assertEquals(10, buffer.writeTo(channel, firstFrameEnd));
        assertArrayEquals(bytesOf(first, 10), channel.written());
        assertEquals(10, buffer.writeTo(channel, buffer.publishedPosition()));
        assertEquals(20, buffer.consumerPosition());
    }

    @Test
    void shouldCopyFrameFromTheGivenOffset() throws Exception
    {
        final OutboundBuffer buffer = new OutboundBuffer(64);
        final UnsafeBuffer source = frameOf(30, 3);
        final LimitedChannel channel = new LimitedChannel(64);

        buffer.offer(source, 5, 12);
        buffer.writeTo(channel, buffer.publishedPosition());

        assertArrayEquals(Arrays.copyOfRange(bytesOf(source, 30), 5, 17), channel.written());
    }

    @Test
    void shouldWriteWrappedFrameWithOneGatheringWrite() throws Exception
    {
        final OutboundBuffer buffer = new OutboundBuffer(64);
        final LimitedChannel channel = new LimitedChannel(1000);
        buffer.offer(frameOf(50, 1), 0, 50);
        buffer.writeTo(channel, buffer.publishedPosition());
        channel.reset();

        final UnsafeBuffer wrapped = frameOf(40, 9);
        assertTrue(buffer.offer(wrapped, 0, 40), "14 bytes at the end, 26 at the start");
        assertEquals(40, buffer.writeTo(channel, buffer.publishedPosition()));

        assertEquals(1, channel.calls);
        assertEquals(1, channel.gatheringCalls);
        assertArrayEquals(bytesOf(wrapped, 40), channel.written());
    }

    @Test
    void shouldPreserveBytesExactlyAcrossManyWrapAroundsOnTheHeap() throws Exception
    {
        preserveBytesAcrossWrapArounds(OutboundBuffer.MAX_HEAP_CAPACITY_BYTES);
    }

    @Test
    void shouldPreserveBytesExactlyAcrossManyWrapAroundsOffHeap() throws Exception
    {
        preserveBytesAcrossWrapArounds(2 * OutboundBuffer.MAX_HEAP_CAPACITY_BYTES);
    }

    private static void preserveBytesAcrossWrapArounds(final int capacity) throws Exception
    {
        final Random random = new Random(20240611L);
        final OutboundBuffer buffer = new OutboundBuffer(capacity);
        final ByteArrayOutputStream offered = new ByteArrayOutputStream();
        final LimitedChannel channel = new LimitedChannel(1);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[buffer.capacity()]);
        int refused = 0;

        for (int iteration = 0; iteration < 20_000 * capacity / 1024; iteration++)
        {
            final int frames = random.nextInt(4);
            for (int f = 0; f < frames; f++)
            {
                final int length = 1 + random.nextInt(random.nextInt(10) == 0 ? buffer.capacity() : 120);
                for (int i = 0; i < length; i++)
                {
                    frame.putByte(i, (byte)random.nextInt());
                }
                final long queuedBefore = buffer.queuedBytes();
                if (buffer.offer(frame, 0, length))
                {
                    offered.write(frame.byteArray(), 0, length);
                }
                else
                {
                    refused++;
                    assertTrue(queuedBefore + length > buffer.capacity(), "refused although it fitted");
                    assertEquals(queuedBefore, buffer.queuedBytes());
                }
            }
            channel.maxBytesPerCall = random.nextInt(300);
            final long before = buffer.consumerPosition();
            final long written = buffer.writeTo(channel, buffer.publishedPosition());
            assertEquals(before + written, buffer.consumerPosition());
        }
        channel.maxBytesPerCall = Integer.MAX_VALUE;
        while (buffer.queuedBytes() > 0)
        {
            buffer.writeTo(channel, buffer.publishedPosition());
        }

        assertTrue(refused > 0, "the test should fill the buffer sometimes");
        assertTrue(buffer.consumerPosition() > 100L * buffer.capacity(), "the test should wrap many times");
        assertArrayEquals(offered.toByteArray(), channel.written());
        assertTrue(channel.gatheringCalls > 0, "some writes should wrap around");
    }

    private static UnsafeBuffer frameOf(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return new UnsafeBuffer(bytes);
    }

    private static byte[] bytesOf(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
