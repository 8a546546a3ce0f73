package io.ringcast.transport.fuzz;

import io.ringcast.transport.websocket.ClientFrameDecoder;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.websocket.ClientRequestParser;
import io.ringcast.transport.websocket.WebSocketFrames;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomized properties of the WebSocket frame decoder, fed the way a client session feeds it (reads of any size
 * into a 4 KiB buffer that is compacted and grown on request):
 * <ul>
 *     <li>on any bytes it never throws, never moves the position outside the buffer, never asks for more than one
 *     largest frame, never stalls with a full buffer, and calls nothing after its one terminal callback;</li>
 *     <li>valid traffic decodes to exactly the messages sent, however the bytes are split;</li>
 *     <li>each kind of violation, after any valid prefix and followed by any garbage, ends the connection with the
 *     close code the contract gives it and nothing else.</li>
 * </ul>
 * Every case is replayable from the seed and case number in the failure message.
 */
class ClientFrameDecoderFuzzTest
{
    private static final long SEED = 0x6A5F_0D1EL;
    private static final int INITIAL_READ_BYTES = 4096;
    private static final int FIN = 0x80;

    @Test
    void shouldKeepItsContractOnRandomBytes()
    {
        final Random random = new Random(SEED);
        final long cases = FuzzInput.cases(20_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final byte[] stream = FuzzInput.randomBytes(random, 1 + random.nextInt(300));
            checkChunkingInvariance("random bytes case " + i, stream, random);
        }
        FuzzInput.report("ws frames: random bytes", cases, startNs);
    }

    @Test
    void shouldKeepItsContractOnMutatedValidTraffic()
    {
        final Random random = new Random(SEED + 1);
        final long cases = FuzzInput.cases(10_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final Traffic traffic = new Traffic(random);
            traffic.messages(1 + random.nextInt(4), 300);
            final byte[] stream = FuzzInput.mutate(random, traffic.bytes());
            checkChunkingInvariance("mutated traffic case " + i, stream, random);
        }
        FuzzInput.report("ws frames: mutated traffic", cases, startNs);
    }

    @Test
    void shouldDecodeValidTrafficExactlyHoweverItIsSplit()
    {
        final Random random = new Random(SEED + 2);
        final long cases = FuzzInput.cases(5_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final Traffic traffic = new Traffic(random);
            traffic.messages(1 + random.nextInt(6), i % 100 == 0 ? ClientFrameDecoder.MAX_MESSAGE_BYTES : 600);
            if (random.nextBoolean())
            {
                traffic.close();
            }
            final byte[] stream = traffic.bytes();
            final Recorder recorder = feed(stream, random, maxChunk(random));
            final long caseNumber = i;
            assertEquals(traffic.expected, recorder.events, () -> "valid traffic case " + caseNumber + ": " + FuzzInput.hex(stream));
        }
        FuzzInput.report("ws frames: valid traffic", cases, startNs);
    }

    @Test
    void shouldCloseWithTheContractCodeForEveryViolationAfterAnyPrefix()
    {
        final Random random = new Random(SEED + 3);
        final long[] seen = new long[Violation.values().length];
        final long cases = FuzzInput.cases(5_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final Traffic traffic = new Traffic(random);
            traffic.messages(random.nextInt(4), 200);
            final Violation violation = Violation.values()[(int)(i % Violation.values().length)];
            final int code = violation.append(traffic, random);
            traffic.expected.add("error:" + code);
            traffic.out.writeBytes(FuzzInput.randomBytes(random, 64));
            final byte[] stream = traffic.bytes();
            final Recorder recorder = feed(stream, random, maxChunk(random));
            final long caseNumber = i;
            assertEquals(traffic.expected, recorder.events,
                () -> "violation " + violation + " case " + caseNumber + ": " + FuzzInput.hex(stream));
            seen[violation.ordinal()]++;
        }
        FuzzInput.report("ws frames: violations", cases, startNs);
        for (final Violation violation : Violation.values())
        {
            assertTrue(seen[violation.ordinal()] > cases / 50, violation + " tried");
        }
    }

    @Test
    void shouldAcceptAMessageOfExactly64KiBAndRefuseOneByteMore()
    {
        final Random random = new Random(SEED + 4);
        final byte[] max = new byte[ClientFrameDecoder.MAX_MESSAGE_BYTES];
        Arrays.fill(max, (byte)'x');
        final Traffic ok = new Traffic(random);
        ok.frame(FIN | WebSocketFrames.OPCODE_TEXT, max, true);
        assertEquals(List.of("text:" + "x".repeat(max.length)), feed(ok.bytes(), random, 1000).events);

        final Traffic tooBig = new Traffic(random);
        tooBig.frame(WebSocketFrames.OPCODE_TEXT, max, true);
        tooBig.frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, new byte[]{'y'}, true);
        assertEquals(List.of("error:1009"), feed(tooBig.bytes(), random, 1000).events);
    }

    /**
     * RFC 6455 7.4 and 5.5.1: a close code that is not allowed on the wire (below 1000, 1004 to 1006, 1015, the
     * unassigned 1016 to 2999, 5000 and up) fails the connection with 1002, and a close reason that is not UTF-8
     * fails it with 1007; 1005 and 1006 "MUST NOT be set as a status code in a Close control frame". The decoder
     * passes every code on ({@code ClientFrameDecoder.onControl}, default branch) and the session echoes it, so a
     * client that sends 1006 or 0 gets a close frame carrying 1006 or 0 back. (Found by this test; fixed.)
     */
    @Test
    void shouldFailTheConnectionForACloseCodeOrReasonTheRfcForbids()
    {
        final Random random = new Random(SEED + 5);
        for (final int code : new int[]{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4000, 4999})
        {
            final Traffic close = new Traffic(random);
            close.frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[]{(byte)(code >>> 8), (byte)code}, true);
            assertEquals(List.of("close:" + code), feed(close.bytes(), random, 1000).events, "code " + code);
        }
        for (final int code : new int[]{0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
        {
            final Traffic close = new Traffic(random);
            close.frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[]{(byte)(code >>> 8), (byte)code}, true);
            assertEquals(List.of("error:1002"), feed(close.bytes(), random, 1000).events, "code " + code);
        }
        final Traffic badReason = new Traffic(random);
        badReason.frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[]{0x03, (byte)0xE8, (byte)0xC0, (byte)0xAF}, true);
        assertEquals(List.of("error:1007"), feed(badReason.bytes(), random, 1000).events, "reason not UTF-8");
    }

    /** Decode in random chunks and all at once: same events, contract kept both ways. */
    private static void checkChunkingInvariance(final String name, final byte[] stream, final Random random)
    {
        final Recorder chunked = feed(stream, random, maxChunk(random));
        final Recorder whole = feed(stream, random, Integer.MAX_VALUE);
        assertNull(chunked.violation, () -> name + ": " + chunked.violation + " on " + FuzzInput.hex(stream));
        assertNull(whole.violation, () -> name + ": " + whole.violation + " on " + FuzzInput.hex(stream));
        assertEquals(whole.events, chunked.events, () -> name + ": split changed the outcome: " + FuzzInput.hex(stream));
    }

    private static int maxChunk(final Random random)
    {
        final int[] sizes = {1, 2, 3, 7, 64, 1000, Integer.MAX_VALUE};
        return sizes[random.nextInt(sizes.length)];
    }

    /**
     * Feed {@code stream} to a fresh decoder as {@code ClientSession.onReadable} does: read into a 4 KiB buffer,
     * flip, decode, compact, grow the buffer when the decoder asks for more room than it has.
     */
    static Recorder feed(final byte[] stream, final Random random, final int maxChunk)
    {
        final Recorder recorder = new Recorder();
        final ClientFrameDecoder decoder = new ClientFrameDecoder(recorder);
        ByteBuffer buffer = ByteBuffer.allocate(INITIAL_READ_BYTES);
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
                    recorder.violate("stalled: read buffer full (" + buffer.capacity() + " bytes) and the decoder " +
                        "asked for no more room");
                    break;
                }
                buffer.put(stream, fed, n);
                fed += n;
                buffer.flip();
                final int limit = buffer.limit();
                final int before = buffer.position();
                final int needed = decoder.decode(buffer);
                if (buffer.position() < before || buffer.position() > limit || buffer.limit() != limit)
                {
                    recorder.violate("position " + buffer.position() + " limit " + buffer.limit() + " after decoding " +
                        before + ".." + limit);
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
            recorder.violate("threw " + ex);
        }
        return recorder;
    }

    /** Records what the decoder reports and checks the handler contract on every call. */
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
            if (length < 0 || length > ClientFrameDecoder.MAX_MESSAGE_BYTES || length > utf8.length)
            {
                violate("text message of " + length + " bytes");
                return;
            }
            if (!FuzzInput.isValidUtf8(utf8, 0, length))
            {
                violate("invalid UTF-8 passed on as text");
            }
            final String text = new String(utf8, 0, length, StandardCharsets.UTF_8);
            // What the session does next with it: the parser must answer, never throw.
            final ClientRequest request = ClientRequestParser.parse(text);
            if (request == null || request.op() == null)
            {
                violate("parser returned nothing for " + text);
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
            if (length < 0 || length > 125)
            {
                violate("ping body of " + length + " bytes");
                return;
            }
            event("ping:" + FuzzInput.hex(Arrays.copyOf(body, length)));
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
            if (closeCode != WebSocketFrames.CLOSE_PROTOCOL_ERROR && closeCode != WebSocketFrames.CLOSE_INVALID_DATA &&
                closeCode != WebSocketFrames.CLOSE_TOO_BIG)
            {
                violate("close code " + closeCode);
            }
            if (reason == null || reason.isEmpty())
            {
                violate("no reason given");
            }
            event("error:" + closeCode);
            ended = true;
        }
    }

    /** Builds client traffic frame by frame together with the events a correct decoder reports for it. */
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

        /** Whole messages (text or binary, some fragmented, control frames between fragments). */
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
                final byte[] payload = binary ? FuzzInput.randomBytes(random, maxBytes) : text(maxBytes);
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

        private byte[] text(final int maxBytes)
        {
            if (maxBytes >= ClientFrameDecoder.MAX_MESSAGE_BYTES && random.nextBoolean())
            {
                final byte[] big = FuzzInput.utf8Biased(random, 20_000, 0);
                return big.length <= maxBytes ? big : Arrays.copyOf(big, 0);
            }
            if (random.nextBoolean())
            {
                final String[] requests = {
                    "{\"op\":\"subscribe\",\"topics\":[\"a\",\"b\"]}", "{\"op\":\"ack\",\"id\":7}",
                    "{\"op\":\"join\",\"group\":\"g\",\"from\":0}", "{\"op\":\"leave\",\"group\":\"g\"}", ""};
                return requests[random.nextInt(requests.length)].getBytes(StandardCharsets.UTF_8);
            }
            final byte[] text = FuzzInput.utf8Biased(random, Math.max(1, maxBytes / 3), 0);
            return text.length <= maxBytes ? text : Arrays.copyOf(text, 0);
        }

        void control()
        {
            final byte[] body = FuzzInput.randomBytes(random, 125);
            if (random.nextBoolean())
            {
                frame(FIN | WebSocketFrames.OPCODE_PING, body, true);
                expected.add("ping:" + FuzzInput.hex(body));
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
            final int[] allowed = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000 + random.nextInt(2000)};
            final int code = allowed[random.nextInt(allowed.length)];
            final byte[] reason = FuzzInput.utf8Biased(random, 20, 0);
            final byte[] body = new byte[2 + Math.min(reason.length, 123)];
            body[0] = (byte)(code >>> 8);
            body[1] = (byte)code;
            System.arraycopy(reason, 0, body, 2, body.length - 2);
            frame(FIN | WebSocketFrames.OPCODE_CLOSE, body, true);
            expected.add("close:" + code);
        }

        /** One frame; the length is encoded minimally or, at random, in a longer form than needed. */
        void frame(final int b0, final byte[] payload, final boolean masked)
        {
            // Control frames must use the 7-bit length (RFC 6455 5.5); data frames may use a longer form than needed.
            final boolean control = (b0 & 0x08) != 0;
            final int form = payload.length < 126 ? !control && random.nextInt(8) == 0 ? 1 + random.nextInt(2) : 0 :
                payload.length <= 0xFFFF ? random.nextInt(8) == 0 ? 2 : 1 : 2;
            header(b0, masked, form == 0 ? payload.length : form == 1 ? 126 : 127, payload.length);
            final byte[] mask = new byte[4];
            random.nextBytes(mask);
            if (masked)
            {
                out.writeBytes(mask);
            }
            final byte[] body = payload.clone();
            if (masked)
            {
                for (int i = 0; i < body.length; i++)
                {
                    body[i] ^= mask[i & 3];
                }
            }
            out.writeBytes(body);
        }

        /** The first bytes of a frame: b0, mask bit and 7-bit length, then the 16- or 64-bit length if any. */
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
            final byte[] mask = new byte[4];
            random.nextBytes(mask);
            out.writeBytes(mask);
        }
    }

    /** The ways a client can break RFC 6455 or the size limit, each with the close code the node must answer. */
    enum Violation
    {
        UNMASKED_FRAME
        {
            int append(final Traffic t, final Random r)
            {
                t.frame(FIN | (r.nextBoolean() ? WebSocketFrames.OPCODE_TEXT : WebSocketFrames.OPCODE_PING),
                    "{}".getBytes(StandardCharsets.UTF_8), false);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        },
        RESERVED_BITS
        {
            int append(final Traffic t, final Random r)
            {
                t.frame(FIN | (0x10 << r.nextInt(3)) | WebSocketFrames.OPCODE_TEXT, "{}".getBytes(StandardCharsets.UTF_8), true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        },
        UNKNOWN_OPCODE
        {
            int append(final Traffic t, final Random r)
            {
                final int[] opcodes = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF};
                t.frame(FIN | opcodes[r.nextInt(opcodes.length)], new byte[r.nextInt(10)], true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        },
        CONTROL_FRAME_OVER_125_BYTES
        {
            int append(final Traffic t, final Random r)
            {
                final int[] opcodes = {WebSocketFrames.OPCODE_PING, WebSocketFrames.OPCODE_PONG, WebSocketFrames.OPCODE_CLOSE};
                t.frame(FIN | opcodes[r.nextInt(3)], new byte[126 + r.nextInt(200)], true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        },
        FRAGMENTED_CONTROL_FRAME
        {
            int append(final Traffic t, final Random r)
            {
                final int[] opcodes = {WebSocketFrames.OPCODE_PING, WebSocketFrames.OPCODE_PONG, WebSocketFrames.OPCODE_CLOSE};
                t.frame(opcodes[r.nextInt(3)], new byte[r.nextInt(10)], true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        },
        CONTINUATION_WITHOUT_MESSAGE
        {
            int append(final Traffic t, final Random r)
            {
                t.frame((r.nextBoolean() ? FIN : 0) | WebSocketFrames.OPCODE_CONTINUATION, "x".getBytes(StandardCharsets.UTF_8), true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        },
        NEW_MESSAGE_INSIDE_FRAGMENTED_ONE
        {
            int append(final Traffic t, final Random r)
            {
                t.frame(WebSocketFrames.OPCODE_TEXT, "{\"op\":".getBytes(StandardCharsets.UTF_8), true);
                t.frame(FIN | (r.nextBoolean() ? WebSocketFrames.OPCODE_TEXT : WebSocketFrames.OPCODE_BINARY), new byte[2], true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        },
        LENGTH_WITH_TOP_BIT_SET
        {
            int append(final Traffic t, final Random r)
            {
                t.header(FIN | WebSocketFrames.OPCODE_TEXT, true, 127, Long.MIN_VALUE | r.nextLong());
                t.mask();
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        },
        LENGTH_OVER_64_KIB
        {
            int append(final Traffic t, final Random r)
            {
                final long[] lengths = {ClientFrameDecoder.MAX_MESSAGE_BYTES + 1, 1L << 32, Long.MAX_VALUE,
                    ClientFrameDecoder.MAX_MESSAGE_BYTES + 1 + (r.nextLong() & Long.MAX_VALUE) % (Long.MAX_VALUE - 65_537)};
                t.header(FIN | (r.nextBoolean() ? WebSocketFrames.OPCODE_TEXT : WebSocketFrames.OPCODE_BINARY), true,
                    127, lengths[r.nextInt(lengths.length)]);
                t.mask();
                // No body follows: the decoder must refuse on the header, not wait for 2^63 bytes.
                return WebSocketFrames.CLOSE_TOO_BIG;
            }
        },
        FRAGMENTS_OVER_64_KIB
        {
            int append(final Traffic t, final Random r)
            {
                final int first = 1 + r.nextInt(ClientFrameDecoder.MAX_MESSAGE_BYTES);
                final byte[] spaces = new byte[first];
                Arrays.fill(spaces, (byte)' ');
                t.frame(WebSocketFrames.OPCODE_TEXT, spaces, true);
                t.header(FIN | WebSocketFrames.OPCODE_CONTINUATION, true, 127,
                    ClientFrameDecoder.MAX_MESSAGE_BYTES - first + 1 + r.nextInt(1000));
                t.mask();
                return WebSocketFrames.CLOSE_TOO_BIG;
            }
        },
        INVALID_UTF8_TEXT
        {
            int append(final Traffic t, final Random r)
            {
                final ByteArrayOutputStream text = new ByteArrayOutputStream();
                text.writeBytes(FuzzInput.utf8Biased(r, 10, 0));
                text.writeBytes(FuzzInput.invalidUtf8(r));
                text.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
                final byte[] payload = text.toByteArray();
                if (r.nextBoolean())
                {
                    t.frame(FIN | WebSocketFrames.OPCODE_TEXT, payload, true);
                }
                else
                {
                    final int split = r.nextInt(payload.length + 1);
                    t.frame(WebSocketFrames.OPCODE_TEXT, Arrays.copyOf(payload, split), true);
                    t.frame(FIN | WebSocketFrames.OPCODE_CONTINUATION, Arrays.copyOfRange(payload, split, payload.length), true);
                }
                return WebSocketFrames.CLOSE_INVALID_DATA;
            }
        },
        CLOSE_WITH_ONE_BYTE_BODY
        {
            int append(final Traffic t, final Random r)
            {
                t.frame(FIN | WebSocketFrames.OPCODE_CLOSE, new byte[]{(byte)r.nextInt()}, true);
                return WebSocketFrames.CLOSE_PROTOCOL_ERROR;
            }
        };

        /** Append the violation; return the close code it must get. */
        abstract int append(Traffic traffic, Random random);
    }
}
