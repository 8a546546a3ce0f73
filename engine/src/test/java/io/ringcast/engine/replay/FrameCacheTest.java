package io.ringcast.engine.replay;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameCacheTest
{
    private static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String string(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] out = new byte[length];
        buffer.getBytes(offset, out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldFindWhatWasPutUntilANewerIdTakesItsSlot()
    {
        final FrameCache cache = new FrameCache(8);
        assertEquals(-1, cache.find(3), "empty, and nothing allocated yet");

        final UnsafeBuffer frame = bytes("..frame-3..");
        final int slot = cache.put(3, (byte)0x02, bytes("news"), 4, frame, 2, 7);
        assertEquals(slot, cache.find(3));
        assertEquals(0x02, cache.flags(slot));
        assertEquals("news", string(cache.buffer(), cache.targetOffset(slot), cache.targetLength(slot)));
        assertEquals("frame-3", string(cache.buffer(), cache.frameOffset(slot), cache.frameLength(slot)));
        assertEquals(-1, cache.find(11), "same slot, other id");

        cache.put(11, (byte)0, bytes("sport"), 5, bytes("f11"), 0, 3);
        assertEquals(-1, cache.find(3), "evicted by id 11 (3 & 7 == 11 & 7)");
        assertEquals("f11", string(cache.buffer(), cache.frameOffset(cache.find(11)), 3));
    }

    @Test
    void shouldKeepOnlyTheTargetOfAFrameTooBigForASlot()
    {
        final FrameCache cache = new FrameCache(4);
        final UnsafeBuffer big = new UnsafeBuffer(new byte[FrameCache.SLOT_BYTES]);
        final int slot = cache.put(5, (byte)0, bytes("t"), 1, big, 0, big.capacity());
        assertEquals(-1, cache.frameLength(slot), "too big: the frame is not kept");
        assertEquals(1, cache.targetLength(slot));
        final int targetOnly = cache.put(6, (byte)0, bytes("t"), 1, null, 0, -1);
        assertEquals(-1, cache.frameLength(targetOnly));
    }

    @Test
    void shouldNotCacheATargetTooBigForASlot()
    {
        final FrameCache cache = new FrameCache(4);
        final UnsafeBuffer name = new UnsafeBuffer(new byte[FrameCache.SLOT_BYTES]);
        assertEquals(-1, cache.put(7, (byte)0, name, name.capacity(), null, 0, -1));
        assertEquals(-1, cache.find(7));
    }

    @Test
    void shouldRefuseASlotCountThatIsNotAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new FrameCache(1000));
    }
}
