package io.ringcast.bench.ws;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebSocketCodecTest
{
    @Test
    void shouldComputeTheAcceptKeyOfRfc6455()
    {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketCodec.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
        final String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
        assertNull(WebSocketCodec.upgradeProblem(head, "dGhlIHNhbXBsZSBub25jZQ=="));
        assertTrue(WebSocketCodec.upgradeProblem(head, "AAAAAAAAAAAAAAAAAAAAAA==").startsWith("bad Sec-WebSocket-Accept"));
        assertEquals("upgrade refused: HTTP/1.1 400 Bad Request",
            WebSocketCodec.upgradeProblem("HTTP/1.1 400 Bad Request\r\nContent-Length: 0", "x"));
    }

    @Test
    void shouldEncodeFramesThatTheHeaderFlyweightReadsBack()
    {
        final ServerFrameHeader header = new ServerFrameHeader();
        for (final int length : new int[]{0, 1, 125, 126, 65_535, 65_536, 200_000})
        {
            final byte[] payload = new byte[length];
            for (int i = 0; i < length; i++)
            {
                payload[i] = (byte)(i * 31);
            }
            for (final boolean masked : new boolean[]{false, true})
            {
                final byte[] frame = new byte[length + WebSocketCodec.MAX_HEADER_BYTES];
                final int frameLength = WebSocketCodec.encodeFrame(
                    frame, 0, WebSocketCodec.OPCODE_BINARY, true, masked, 0x01020304, payload, 0, length);
                assertFalse(header.decode(frame, 0, 1), "needs two bytes at least");
                assertTrue(header.decode(frame, 0, frameLength));
                assertEquals(frameLength, header.frameLength(), "length " + length);
                assertEquals(length, header.payloadLength());
                assertEquals(WebSocketCodec.OPCODE_BINARY, header.opcode());
                assertTrue(header.fin());
                assertEquals(masked, header.masked());
                assertFalse(header.decode(frame, 0, header.headerLength() - 1), "a partial header is not decoded");
                final int at = header.headerLength();
                for (int i = 0; i < length; i++)
                {
                    final int mask = masked ? frame[at - 4 + (i & 3)] : 0;
                    assertEquals(payload[i], (byte)(frame[at + i] ^ mask), "byte " + i + " of " + length);
                }
            }
        }
    }

    @Test
    void shouldReadTheRsvBitsTheCloseCodeAndAnInvalid64BitLength()
    {
        final ServerFrameHeader header = new ServerFrameHeader();
        final byte[] close = {(byte)0x88, 0x02, 0x03, (byte)0xE9};
        assertTrue(header.decode(close, 0, close.length));
        assertEquals(WebSocketCodec.OPCODE_CLOSE, header.opcode());
        assertEquals(1001, WebSocketCodec.closeCode(close, 2, 2));
        assertEquals(WebSocketCodec.CLOSE_NO_STATUS, WebSocketCodec.closeCode(close, 2, 0));

        final byte[] rsv1 = {(byte)0xC1, 0x00};
        assertTrue(header.decode(rsv1, 0, 2));
        assertEquals(4, header.rsv());

        final byte[] huge = {(byte)0x81, 127, (byte)0x80, 0, 0, 0, 0, 0, 0, 0};
        assertTrue(header.decode(huge, 0, huge.length));
        assertTrue(header.payloadLength() < 0);
        assertEquals(-1, header.frameLength());
    }

    @Test
    void shouldFindTheEndOfAnHttpHead()
    {
        final byte[] bytes = "HTTP/1.1 101 OK\r\nA: b\r\n\r\n\u0081".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(bytes.length - 1, WebSocketCodec.endOfHead(bytes, bytes.length));
        assertEquals(-1, WebSocketCodec.endOfHead(bytes, bytes.length - 2));
        assertEquals("b", WebSocketCodec.header("HTTP/1.1 101 OK\r\nA: b", "a"));
    }
}
