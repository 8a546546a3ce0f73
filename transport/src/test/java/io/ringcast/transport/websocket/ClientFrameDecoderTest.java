package io.ringcast.transport.websocket;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientFrameDecoderTest
{
    private static final int FIN = 0x80;
    private static final byte[] MASK = {(byte)0x37, (byte)0xFA, (byte)0x21, (byte)0x3D};

    private final RecordingHandler handler = new RecordingHandler();
    private final ClientFrameDecoder decoder = new ClientFrameDecoder(handler);
    private ByteBuffer readBuffer = ByteBuffer.allocate(256);

    @Test
    void shouldDecodeSingleTextMessage()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("{\"op\":\"ack\",\"id\":1}")));

        assertEquals(List.of("text:{\"op\":\"ack\",\"id\":1}"), handler.events);
        assertEquals(0, readBuffer.position(), "every byte consumed");
    }

    @Test
    void shouldDecodeEmptyTextMessage()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_TEXT, new byte[0]));

        assertEquals(List.of("text:"), handler.events);
    }

    @Test
    void shouldDecodeSeveralFramesFromOneRead()
    {
        feed(concat(
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("one")),
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("two")),
            frame(FIN | WebSocketFrames.OPCODE_PONG, new byte[0]),
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("three"))));

        assertEquals(List.of("text:one", "text:two", "pong", "text:three"), handler.events);
    }

    @Test
    void shouldReassembleFragmentedMessage()
    {
        feed(concat(
            frame(WebSocketFrames.OPCODE_TEXT, utf8("{\"op\":")),
            frame(WebSocketFrames.OPCODE_CONTINUATION, utf8("\"ack\",")),
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, utf8("\"id\":7}"))));

        assertEquals(List.of("text:{\"op\":\"ack\",\"id\":7}"), handler.events);
    }

    @Test
    void shouldDeliverControlFrameInterleavedWithFragments()
    {
        feed(concat(
            frame(WebSocketFrames.OPCODE_TEXT, utf8("hel")),
            frame(FIN | WebSocketFrames.OPCODE_PING, utf8("p")),
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, utf8("lo"))));

        assertEquals(List.of("ping:p", "text:hello"), handler.events);
    }

    @Test
    void shouldAcceptMultiByteCharacterSplitAcrossFragments()
    {
        final byte[] euro = utf8("\u20ac");
        feed(concat(
            frame(WebSocketFrames.OPCODE_TEXT, Arrays.copyOfRange(euro, 0, 1)),
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, Arrays.copyOfRange(euro, 1, 3))));

        assertEquals(List.of("text:\u20ac"), handler.events);
    }

    @Test
    void shouldDecodeFramesFedOneByteAtATime()
    {
        final byte[] text = utf8("x".repeat(300) + "\u00e9");
        final byte[] bytes = concat(
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("short")),
            frame(WebSocketFrames.OPCODE_TEXT, Arrays.copyOfRange(text, 0, 200)),
            frame(FIN | WebSocketFrames.OPCODE_PING, utf8("are you there")),
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, Arrays.copyOfRange(text, 200, text.length)),
            frame(FIN | WebSocketFrames.OPCODE_CLOSE, closeBody(1000)));
        readBuffer = ByteBuffer.allocate(4);

        for (int i = 0; i < bytes.length; i++)
        {
            feed(new byte[] {bytes[i]});
            if (i < 6)
            {
                assertEquals(List.of(), handler.events, "nothing before the first frame is complete");
            }
        }

        assertEquals(
            List.of("text:short", "ping:are you there", "text:" + new String(text, StandardCharsets.UTF_8), "close:1000"),
            handler.events);
    }

    @Test
    void shouldLeavePartialFrameUnconsumedAndAskForItsLength()
    {
        final byte[] frame = frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("x".repeat(1000)));
        final ByteBuffer in = ByteBuffer.wrap(frame, 0, 10);

        final int needed = decoder.decode(in);

        assertEquals(frame.length, needed);
        assertEquals(0, in.position());
        assertEquals(List.of(), handler.events);

        final ByteBuffer headerOnly = ByteBuffer.wrap(frame, 0, 3);
        assertEquals(8, decoder.decode(headerOnly), "2 + 2 (length) + 4 (mask)");
        assertEquals(0, headerOnly.position());
    }

    @Test
    void shouldDecodeEachPayloadLengthForm()
    {
        final String small = "s".repeat(125);
        final String medium = "m".repeat(65_535);
        final String large = "L".repeat(ClientFrameDecoder.MAX_MESSAGE_BYTES);

        feed(frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8(small)));
        feed(frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("m".repeat(126))));
        feed(frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8(medium)));
        feed(frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8(large)));

        assertEquals(List.of("text:" + small, "text:" + "m".repeat(126), "text:" + medium, "text:" + large), handler.events);
    }

    @Test
    void shouldReportPingWithItsBody()
    {
        final byte[] body = new byte[125];
        for (int i = 0; i < body.length; i++)
        {
            body[i] = (byte)(i * 7);
        }
        feed(frame(FIN | WebSocketFrames.OPCODE_PING, body));

        assertEquals(List.of("ping"), handler.pingEvents());
        assertEquals(1, handler.pingBodies.size());
        assertTrue(Arrays.equals(body, handler.pingBodies.get(0)));
    }

    @Test
    void shouldReportEmptyPing()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_PING, new byte[0]));

        assertEquals(List.of("ping:"), handler.events);
    }

    @Test
    void shouldReportCloseWithItsCode()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_CLOSE, concat(closeBody(4321), utf8("bye"))));

        assertEquals(List.of("close:4321"), handler.events);
    }

    @Test
    void shouldReportCloseWithoutBodyAsNoStatus()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[0]));

        assertEquals(List.of("close:" + WebSocketFrames.CLOSE_NO_STATUS), handler.events);
        assertEquals(1005, WebSocketFrames.CLOSE_NO_STATUS);
    }

    @Test
    void shouldStopDecodingAfterClose()
    {
        feed(concat(
            frame(FIN | WebSocketFrames.OPCODE_CLOSE, closeBody(1000)),
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("after close"))));

        assertEquals(List.of("close:1000"), handler.events);
    }

    @Test
    void shouldRejectCloseWithOneByteBody()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[] {3}));

        assertEquals(List.of("error:1002"), handler.events);
    }

    @Test
    void shouldRejectUnmaskedFrame()
    {
        final byte[] payload = utf8("hi");
        final byte[] unmasked = concat(new byte[] {(byte)(FIN | WebSocketFrames.OPCODE_TEXT), (byte)payload.length}, payload);

        feed(unmasked);

        assertEquals(List.of("error:1002"), handler.events);
    }

    @Test
    void shouldRejectReservedBits()
    {
        for (final int rsv : new int[] {0x40, 0x20, 0x10})
        {
            final RecordingHandler recorder = new RecordingHandler();
            new ClientFrameDecoder(recorder).decode(
                ByteBuffer.wrap(frame(FIN | rsv | WebSocketFrames.OPCODE_TEXT, utf8("x"))));
            assertEquals(List.of("error:1002"), recorder.events, "rsv " + rsv);
        }
    }

    @Test
    void shouldRejectUnknownOpcodes()
    {
        for (final int opcode : new int[] {0x3, 0x7, 0xB, 0xF})
        {
            final RecordingHandler recorder = new RecordingHandler();
            new ClientFrameDecoder(recorder).decode(ByteBuffer.wrap(frame(FIN | opcode, utf8("x"))));
            assertEquals(List.of("error:1002"), recorder.events, "opcode " + opcode);
        }
    }

    @Test
    void shouldRejectControlFrameLongerThan125Bytes()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_PING, new byte[126]));

        assertEquals(List.of("error:1002"), handler.events);
    }

    @Test
    void shouldRejectFragmentedControlFrame()
    {
        feed(frame(WebSocketFrames.OPCODE_PING, utf8("x")));

        assertEquals(List.of("error:1002"), handler.events);
    }

    @Test
    void shouldRejectContinuationWithoutStart()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, utf8("orphan")));

        assertEquals(List.of("error:1002"), handler.events);
    }

    @Test
    void shouldRejectNewMessageBeforeTheLastOneFinished()
    {
        feed(concat(
            frame(WebSocketFrames.OPCODE_TEXT, utf8("first")),
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("second"))));

        assertEquals(List.of("error:1002"), handler.events);
    }

    @Test
    void shouldRejectMessageOver64KiBAcrossFragments()
    {
        feed(concat(
            frame(WebSocketFrames.OPCODE_TEXT, new byte[40_000]),
            frame(WebSocketFrames.OPCODE_CONTINUATION, new byte[20_000]),
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, new byte[ClientFrameDecoder.MAX_MESSAGE_BYTES - 60_000 + 1])));

        assertEquals(List.of("error:1009"), handler.events);
    }

    @Test
    void shouldAcceptMessageOfExactly64KiBAcrossFragments()
    {
        final byte[] text = utf8("z".repeat(ClientFrameDecoder.MAX_MESSAGE_BYTES));
        feed(concat(
            frame(WebSocketFrames.OPCODE_TEXT, Arrays.copyOfRange(text, 0, 40_000)),
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, Arrays.copyOfRange(text, 40_000, text.length))));

        assertEquals(List.of("text:" + new String(text, StandardCharsets.UTF_8)), handler.events);
    }

    @Test
    void shouldRejectOversizedFrameFromItsHeaderAlone()
    {
        final byte[] header = {
            (byte)(FIN | WebSocketFrames.OPCODE_TEXT), (byte)(0x80 | 127), 0, 0, 0, 0, 0, 1, 0, 1,
            MASK[0], MASK[1], MASK[2], MASK[3]};

        decoder.decode(ByteBuffer.wrap(header));

        assertEquals(List.of("error:1009"), handler.events);
    }

    @Test
    void shouldRejectInvalidUtf8Text()
    {
        feed(frame(FIN | WebSocketFrames.OPCODE_TEXT, new byte[] {'a', (byte)0xED, (byte)0xA0, (byte)0x80}));

        assertEquals(List.of("error:1007"), handler.events);
    }

    @Test
    void shouldRejectInvalidUtf8TextAcrossFragments()
    {
        feed(concat(
            frame(WebSocketFrames.OPCODE_TEXT, new byte[] {'a', (byte)0xE2}),
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, new byte[] {(byte)0x82})));

        assertEquals(List.of("error:1007"), handler.events);
    }

    @Test
    void shouldReportBinaryMessage()
    {
        feed(concat(
            frame(WebSocketFrames.OPCODE_BINARY, new byte[] {(byte)0xFF, 0}),
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, new byte[] {(byte)0xFE}),
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("still open"))));

        assertEquals(List.of("binary", "text:still open"), handler.events);
    }

    @Test
    void shouldRejectSixtyFourBitLengthWithTopBitSet()
    {
        final byte[] header = {
            (byte)(FIN | WebSocketFrames.OPCODE_BINARY), (byte)(0x80 | 127), (byte)0x80, 0, 0, 0, 0, 0, 0, 5,
            MASK[0], MASK[1], MASK[2], MASK[3], 1, 2, 3, 4, 5};

        decoder.decode(ByteBuffer.wrap(header));

        assertEquals(List.of("error:1002"), handler.events);
    }

    @Test
    void shouldStopDecodingAfterProtocolError()
    {
        final ByteBuffer in = ByteBuffer.wrap(concat(
            frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, utf8("orphan")),
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("ignored"))));

        assertEquals(0, decoder.decode(in));
        assertEquals(0, decoder.decode(in));

        assertEquals(List.of("error:1002"), handler.events);
    }

    @Test
    void shouldKeepAFragmentedMessageWhileAnotherDecoderUsesTheSharedScratch()
    {
        final InboundScratch scratch = new InboundScratch();
        final RecordingHandler first = new RecordingHandler();
        final RecordingHandler second = new RecordingHandler();
        final ClientFrameDecoder firstDecoder = new ClientFrameDecoder(first, scratch);
        final ClientFrameDecoder secondDecoder = new ClientFrameDecoder(second, scratch);

        firstDecoder.decode(ByteBuffer.wrap(frame(WebSocketFrames.OPCODE_TEXT, utf8("{\"op\":\"ack\","))));
        secondDecoder.decode(ByteBuffer.wrap(concat(
            frame(FIN | WebSocketFrames.OPCODE_TEXT, utf8("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")),
            frame(FIN | WebSocketFrames.OPCODE_PING, utf8("yyyy")))));
        firstDecoder.decode(ByteBuffer.wrap(frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, utf8("\"id\":7}"))));

        assertEquals(List.of("text:{\"op\":\"ack\",\"id\":7}"), first.events);
        assertEquals(List.of("text:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ping:yyyy"), second.events);
    }

    /** Mimics {@code ClientSession.onReadable}: append, flip, decode, compact, grow when asked. */
    private void feed(final byte[] bytes)
    {
        int offset = 0;
        while (offset < bytes.length)
        {
            final int chunk = Math.min(readBuffer.remaining(), bytes.length - offset);
            readBuffer.put(bytes, offset, chunk);
            offset += chunk;
            readBuffer.flip();
            final int needed = decoder.decode(readBuffer);
            readBuffer.compact();
            if (needed > readBuffer.capacity())
            {
                final ByteBuffer bigger = ByteBuffer.allocate(needed);
                readBuffer.flip();
                bigger.put(readBuffer);
                readBuffer = bigger;
            }
            if (handler.terminated())
            {
                return;
            }
        }
    }

    /** A masked client frame; {@code b0} holds FIN, RSV and opcode. The shortest length form is used. */
    private static byte[] frame(final int b0, final byte[] payload)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0);
        final int length = payload.length;
        if (length < 126)
        {
            out.write(0x80 | length);
        }
        else if (length <= 0xFFFF)
        {
            out.write(0x80 | 126);
            out.write(length >>> 8);
            out.write(length);
        }
        else
        {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                out.write((int)((long)length >>> shift));
            }
        }
        out.writeBytes(MASK);
        for (int i = 0; i < length; i++)
        {
            out.write(payload[i] ^ MASK[i & 3]);
        }
        return out.toByteArray();
    }

    private static byte[] closeBody(final int code)
    {
        return new byte[] {(byte)(code >>> 8), (byte)code};
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final class RecordingHandler implements ClientFrameDecoder.Handler
    {
        final List<String> events = new ArrayList<>();
        final List<byte[]> pingBodies = new ArrayList<>();

        @Override
        public void onTextMessage(final byte[] utf8, final int length)
        {
            events.add("text:" + new String(utf8, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onBinaryMessage()
        {
            events.add("binary");
        }

        @Override
        public void onPing(final byte[] body, final int length)
        {
            pingBodies.add(Arrays.copyOf(body, length));
            events.add("ping:" + new String(body, 0, length, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void onPong()
        {
            events.add("pong");
        }

        @Override
        public void onClose(final int code)
        {
            events.add("close:" + code);
        }

        @Override
        public void onProtocolError(final int closeCode, final String reason)
        {
            assertTrue(reason != null && !reason.isEmpty());
            events.add("error:" + closeCode);
        }

        boolean terminated()
        {
            return !events.isEmpty() && (events.get(events.size() - 1).startsWith("close:") ||
                events.get(events.size() - 1).startsWith("error:"));
        }

        List<String> pingEvents()
        {
            final List<String> result = new ArrayList<>();
            for (final String event : events)
            {
                result.add(event.startsWith("ping:") ? "ping" : event);
            }
            return result;
        }
    }
}
