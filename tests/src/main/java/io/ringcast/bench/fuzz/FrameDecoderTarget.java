package io.ringcast.bench.fuzz;

import io.ringcast.transport.websocket.ClientFrameDecoder;
import io.ringcast.transport.websocket.ClientRequest;
import io.ringcast.transport.websocket.ClientRequestParser;
import io.ringcast.transport.websocket.WebSocketFrames;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The WebSocket frame decoder, fed as a client session feeds it (reads of random size into a 4 KiB buffer,
 * compacted, grown on request). A case is random bytes, mutated valid traffic (both: the handler contract holds and
 * the outcome does not depend on how the bytes were split), valid traffic (decoded exactly), or one violation after
 * a valid prefix (the contract's close code, nothing else).
 */
public final class FrameDecoderTarget extends FuzzTarget
{
    private static final int FIN = 0x80;

    @Override
    public String name()
    {
        return "ws-frame-decoder";
    }

    @Override
    public String description()
    {
        return "random/mutated/valid/violating client frames, split at random; contract, exact events, close codes";
    }

    @Override
    protected void runCase(final Random random)
    {
        final int mode = random.nextInt(4);
        final Traffic traffic = new Traffic(random);
        if (mode == 0 || mode == 1)
        {
            final byte[] stream;
            if (mode == 0)
            {
                stream = FuzzInputs.randomBytes(random, 1 + random.nextInt(300));
            }
            else
            {
                traffic.messages(1 + random.nextInt(4), 300);
                stream = FuzzInputs.mutate(random, traffic.bytes());
            }
            final Recorder chunked = feed(stream, random, maxChunk(random));
            final Recorder whole = feed(stream, random, Integer.MAX_VALUE);
            check(chunked.violation == null, chunked.violation + " on " + FuzzInputs.hex(stream));
            check(whole.violation == null, whole.violation + " on " + FuzzInputs.hex(stream));
            check(whole.events.equals(chunked.events), "split changed the outcome on " + FuzzInputs.hex(stream));
            return;
        }
        traffic.messages(random.nextInt(5), 400);
        if (mode == 3)
        {
            final int code = violation(traffic, random);
            traffic.expected.add("error:" + code);
            traffic.out.writeBytes(FuzzInputs.randomBytes(random, 64));
        }
        else if (random.nextBoolean())
        {
            traffic.close();
        }
        final byte[] stream = traffic.bytes();
        final Recorder recorder = feed(stream, random, maxChunk(random));
        check(recorder.violation == null, recorder.violation + " on " + FuzzInputs.hex(stream));
        check(traffic.expected.equals(recorder.events),
            "expected " + traffic.expected + " got " + recorder.events + " on " + FuzzInputs.hex(stream));
    }

    private static int maxChunk(final Random random)
    {
        final int[] sizes = {1, 2, 3, 7, 64, 1000, Integer.MAX_VALUE};
        return sizes[random.nextInt(sizes.length)];
    }

    static Recorder feed(final byte[] stream, final Random random, final int maxChunk)
    {
        final Recorder recorder = new Recorder();
        final ClientFrameDecoder decoder = new ClientFrameDecoder(recorder);
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        // Byte-by-byte reads of a long stream would spend the time compacting a 64 KiB partial frame, not decoding.
        final int chunk = stream.length > 8192 && maxChunk < 1000 ? 1000 : maxChunk;
        int fed = 0;
        try
        {
            while (fed < stream.length && !recorder.ended)
            {
                final int n = Math.min(Math.min(buffer.remaining(), stream.length - fed),
                    chunk == Integer.MAX_VALUE ? Integer.MAX_VALUE : 1 + random.nextInt(chunk));
                if (n == 0)
                {
                    recorder.violate("stalled with a full read buffer of " + buffer.capacity() + " bytes");
                    break;
                }
                buffer.put(stream, fed, n);
                fed += n;
                buffer.flip();
                final int limit = buffer.limit();
                final int before = buffer.position();
                final int needed = decoder.decode(buffer);
                if (buffer.position() < before || buffer.position() > limit)
                {
                    recorder.violate("position " + buffer.position() + " outside " + before + ".." + limit);
                }
                if (needed < 0 || needed > ClientFrameDecoder.MAX_HEADER_BYTES + ClientFrameDecoder.MAX_MESSAGE_BYTES)
                {
                    recorder.violate("asked for " + needed + " bytes of room");
                }
                buffer.compact();
                if (needed > buffer.capacity())
                {
                    final ByteBuffer bigger = ByteBuffer.allocate(needed);
                    buffer.flip();
                    bigger.put(buffer);
                    buffer = bigger;
                }
            }
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            recorder.violate("decoder threw " + ex);
        }
        return recorder;
    }

    /** Appends one violation; returns the close code it must get. */
    private static int violation(final Traffic t, final Random r)
    {
        final byte[] two = {'{', '}'};
        switch (r.nextInt(12))
        {
            case 0:
                t.frame(FIN | WebSocketFrames.OPCODE_TEXT, two, false);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            case 1:
                t.frame(FIN | (0x10 << r.nextInt(3)) | WebSocketFrames.OPCODE_TEXT, two, true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            case 2:
            {
                final int[] opcodes = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF};
                t.frame(FIN | opcodes[r.nextInt(opcodes.length)], new byte[r.nextInt(10)], true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
            case 3:
                t.frame(FIN | (8 + r.nextInt(3)), new byte[126 + r.nextInt(200)], true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            case 4:
                t.frame(8 + r.nextInt(3), new byte[r.nextInt(10)], true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            case 5:
                t.frame((r.nextBoolean() ? FIN : 0) | WebSocketFrames.OPCODE_CONTINUATION, two, true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            case 6:
                t.frame(WebSocketFrames.OPCODE_TEXT, two, true);
                t.frame(FIN | (r.nextBoolean() ? WebSocketFrames.OPCODE_TEXT : WebSocketFrames.OPCODE_BINARY), two, true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            case 7:
                t.header(FIN | WebSocketFrames.OPCODE_TEXT, true, 127, Long.MIN_VALUE | r.nextLong());
                t.mask();
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            case 8:
                t.header(FIN | WebSocketFrames.OPCODE_BINARY, true, 127,
                    ClientFrameDecoder.MAX_MESSAGE_BYTES + 1 + (r.nextLong() & Long.MAX_VALUE) % (Long.MAX_VALUE - 65_537));
                t.mask();
                return WebSocketFrames.CLOSE_TOO_BIG;
            case 9:
            {
                final int first = 1 + r.nextInt(ClientFrameDecoder.MAX_MESSAGE_BYTES);
                t.frame(WebSocketFrames.OPCODE_TEXT, new byte[first], true);
                t.header(FIN | WebSocketFrames.OPCODE_CONTINUATION, true, 127,
                    ClientFrameDecoder.MAX_MESSAGE_BYTES - first + 1 + r.nextInt(1000));
                t.mask();
                return WebSocketFrames.CLOSE_TOO_BIG;
            }
            case 10:
            {
                final ByteArrayOutputStream text = new ByteArrayOutputStream();
                text.writeBytes(FuzzInputs.utf8Biased(r, 10, 0));
                text.writeBytes(FuzzInputs.invalidUtf8(r));
                text.writeBytes(two);
                final byte[] payload = text.toByteArray();
                final int split = r.nextInt(payload.length + 1);
                t.frame(WebSocketFrames.OPCODE_TEXT, Arrays.copyOf(payload, split), true);
                t.frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, Arrays.copyOfRange(payload, split, payload.length), true);
                return WebSocketFrames.CLOSE_INVALID_DATA;
            }
            default:
                t.frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[]{(byte)r.nextInt()}, true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
        }
    }

    /** Records the decoder's callbacks and checks the handler contract on each. */
    static final class Recorder implements ClientFrameDecoder.Handler
    {
        final List<String> events = new ArrayList<>();
        boolean ended;
        String violation;

        void violate(final String what)
        {
            if (violation == null)
            {
                violation = what;
            }
        }

        private void event(final String event)
        {
            if (ended)
            {
                violate("callback after the terminal one: " + event);
            }
            events.add(event);
        }

        @Override
        public void onTextMessage(final byte[] utf8, final int length)
        {
            if (length < 0 || length > ClientFrameDecoder.MAX_MESSAGE_BYTES || !FuzzInputs.isValidUtf8(utf8, 0, length))
            {
                violate("text message of " + length + " bytes that is not valid UTF-8 or too long");
                return;
            }
            final String text = new String(utf8, 0, length, StandardCharsets.UTF_8);
            final ClientRequest request = ClientRequestParser.parse(text);
            if (request == null)
            {
                violate("no request parsed");
            }
            event("text:" + text);
        }

        @Override
        public void onBinaryMessage()
        {
            event("binary");
        }

        @Override
        public void onPing(final byte[] body, final int length)
        {
            event("ping:" + FuzzInputs.hex(Arrays.copyOf(body, length)));
        }

        @Override
        public void onPong()
        {
            event("pong");
        }

        @Override
        public void onClose(final int code)
        {
            event("close:" + code);
            ended = true;
        }

        @Override
        public void onProtocolError(final int closeCode, final String reason)
        {
            if (closeCode != 1002 && closeCode != 1007 && closeCode != 1009)
            {
                violate("close code " + closeCode);
            }
            event("error:" + closeCode);
            ended = true;
        }
    }

    /** Client traffic built frame by frame with the events a correct decoder reports for it. */
    static final class Traffic
    {
        final Random random;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<String> expected = new ArrayList<>();

        Traffic(final Random random)
        {
            this.random = random;
        }

        byte[] bytes()
        {
            return out.toByteArray();
        }

        void messages(final int count, final int maxBytes)
        {
            for (int m = 0; m < count; m++)
            {
                if (random.nextInt(6) == 0)
                {
                    control();
                    continue;
                }
                final boolean binary = random.nextInt(8) == 0;
                final byte[] payload = binary ? FuzzInputs.randomBytes(random, maxBytes) :
                    FuzzInputs.utf8Biased(random, maxBytes / 4, 0);
                final int fragments = random.nextInt(3) == 0 ? 2 + random.nextInt(3) : 1;
                int offset = 0;
                for (int f = 0; f < fragments; f++)
                {
                    final boolean last = f == fragments - 1;
                    final int end = last ? payload.length : offset + random.nextInt(payload.length - offset + 1);
                    final int opcode = f > 0 ? WebSocketFrames.OPCODE_CONTINUATION :
                        binary ? WebSocketFrames.OPCODE_BINARY : WebSocketFrames.OPCODE_TEXT;
                    frame((last ? FIN : 0) | opcode, Arrays.copyOfRange(payload, offset, end), true);
                    offset = end;
                    if (!last && random.nextInt(4) == 0)
                    {
                        control();
                    }
                }
                expected.add(binary ? "binary" : "text:" + new String(payload, StandardCharsets.UTF_8));
            }
        }

        void control()
        {
            final byte[] body = FuzzInputs.randomBytes(random, 125);
            if (random.nextBoolean())
            {
                frame(FIN | WebSocketFrames.OPCODE_PING, body, true);
                expected.add("ping:" + FuzzInputs.hex(body));
            }
            else
            {
                frame(FIN | WebSocketFrames.OPCODE_PONG, body, true);
                expected.add("pong");
            }
        }

        void close()
        {
            if (random.nextBoolean())
            {
                frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[0], true);
                expected.add("close:1005");
                return;
            }
            final int code = random.nextBoolean() ? 1000 : 3000 + random.nextInt(2000);
            frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[]{(byte)(code >>> 8), (byte)code, 'o', 'k'}, true);
            expected.add("close:" + code);
        }

        void frame(final int b0, final byte[] payload, final boolean masked)
        {
            final boolean control = (b0 & 0x08) != 0;
            final int form = payload.length < 126 ? !control && random.nextInt(8) == 0 ? 1 + random.nextInt(2) : 0 :
                payload.length <= 0xFFFF ? random.nextInt(8) == 0 ? 2 : 1 : 2;
            header(b0, masked, form == 0 ? payload.length : form == 1 ? 126 : 127, payload.length);
            final byte[] maskKey = new byte[4];
            random.nextBytes(maskKey);
            if (masked)
            {
                out.writeBytes(maskKey);
            }
            final byte[] body = payload.clone();
            if (masked)
            {
                for (int i = 0; i < body.length; i++)
                {
                    body[i] ^= maskKey[i & 3];
                }
            }
            out.writeBytes(body);
        }

        void header(final int b0, final boolean masked, final int length7, final long length)
        {
            out.write(b0);
            out.write((masked ? 0x80 : 0) | length7);
            if (length7 == 126)
            {
                out.write((int)(length >>> 8));
                out.write((int)length);
            }
            else if (length7 == 127)
            {
                for (int shift = 56; shift >= 0; shift -= 8)
                {
                    out.write((int)(length >>> shift));
                }
            }
        }

        void mask()
        {
            final byte[] maskKey = new byte[4];
            random.nextBytes(maskKey);
            out.writeBytes(maskKey);
        }
    }
}
