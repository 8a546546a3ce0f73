package io.ringcast.transport.fuzz;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.IngestOnlyPublisher;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.codec.JsonValidator;
import io.ringcast.transport.ingest.IngestDescriptor;
import io.ringcast.transport.ingest.IngestServer;
import io.ringcast.transport.metrics.Metrics;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The ingest port's decoder over real loopback sockets, with a stand-in pipeline that answers every publish at
 * once. Each case sends a byte stream (frames built from the contract with every kind of defect, or plain
 * garbage) in random pieces, half-closes, and reads replies until the node closes: the replies must be exactly
 * those a reference decoder written from the contract gives, in order, the accepted messages must carry exactly
 * the bytes sent, and the connection must end (a bad length closes it, a half frame at the end is never answered).
 * The same frames are also pipelined, up to 100,000 on one connection, with the replies read as they come.
 * <p>
 * With {@code ringcast.fuzz.cases} set to N, the pipelined test sends N frames and the others open N / 200
 * connections each (at least their default).
 */
class IngestDecoderFuzzTest
{
    private static final long SEED = 0x1D6E_57F0L;
    private static final int MAX_PAYLOAD = 256;
    private static final long MAX_FRAME_LENGTH = IngestDescriptor.maxFrameLength(MAX_PAYLOAD);
    private static final long CASES_PER_CONNECTION = 200;
    private static final long FRAMES_PER_CONNECTION = 100_000;
    /** Kept so the level sticks: every bad length is logged at INFO, and the run opens thousands of connections. */
    private static final Logger INGEST_LOG = Logger.getLogger(IngestServer.class.getName());
    /** Ends the replies expected on a pipelined connection. */
    private static final Expected END = new Expected();

    static
    {
        INGEST_LOG.setLevel(Level.WARNING);
    }

    private final AnsweringPublisher publisher = new AnsweringPublisher();
    private IngestServer server;

    @BeforeEach
    void start()
    {
        server = new IngestServer(new InetSocketAddress("127.0.0.1", 0), publisher, new Metrics(), MAX_PAYLOAD);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> thread.getName().equals("ringcast-ingest") && thread.isAlive()),
            "the ingest thread is gone after close");
    }

    @Test
    void shouldAnswerFramesWithEveryDefectAsTheContractSays() throws Exception
    {
        final Random random = new Random(SEED);
        final long cases = connections(1_500);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final Stream stream = new Stream(random);
            final int frames = random.nextInt(8);
            for (int f = 0; f < frames; f++)
            {
                stream.frame();
            }
            stream.ending();
            check("frames case " + i, stream.bytes(), random);
        }
        FuzzInput.report("ingest: frame connections", cases, startNs);
    }

    @Test
    void shouldAnswerGarbageAsTheContractSays() throws Exception
    {
        final Random random = new Random(SEED + 1);
        final long cases = connections(1_000);
        final long startNs = System.nanoTime();
        for (long i = 0; i < cases; i++)
        {
            final byte[] garbage = FuzzInput.randomBytes(random, 400);
            if (garbage.length >= 4 && random.nextBoolean())
            {
                // a believable length so that decoding gets past the first field
                ByteBuffer.wrap(garbage).putInt(3 + random.nextInt(Math.max(1, garbage.length)));
            }
            check("garbage case " + i, garbage, random);
        }
        FuzzInput.report("ingest: garbage connections", cases, startNs);
    }

    @Test
    void shouldAnswerPipelinedFramesAsTheContractSays() throws Exception
    {
        final Random random = new Random(SEED + 3);
        final long cases = FuzzInput.cases(20_000);
        final long startNs = System.nanoTime();
        for (long first = 0; first < cases; first += FRAMES_PER_CONNECTION)
        {
            pipeline(first, Math.min(cases, first + FRAMES_PER_CONNECTION), random);
        }
        FuzzInput.report("ingest: pipelined frames", cases, startNs);
    }

    @Test
    void shouldAnswerEarlierFramesWhenClosingOnABadLengthWhileThePublisherKeepsSending() throws Exception
    {
        final Random random = new Random(SEED + 2);
        for (int round = 0; round < 20; round++)
        {
            final Stream stream = new Stream(random);
            final int frames = 1 + random.nextInt(50);
            for (int f = 0; f < frames; f++)
            {
                stream.put(0, 1, new byte[]{'t'}, ("m" + f).getBytes(StandardCharsets.US_ASCII));
            }
            final byte[] good = stream.bytes();
            final byte[] flood = new byte[4 << 20];
            Arrays.fill(flood, (byte)0xFF); // starts with length 0xFFFFFFFF, then more of the same
            try (Socket socket = new Socket())
            {
                socket.connect(server.localAddress(), 5_000);
                socket.setSoTimeout(10_000);
                final Thread writer = new Thread(() ->
                {
                    try
                    {
                        socket.getOutputStream().write(good);
                        socket.getOutputStream().write(flood);
                    }
                    catch (final IOException expected)
                    {
                        // the node has closed the connection
                    }
                }, "fuzz-flood-writer");
                writer.start();
                final DataInputStream in = new DataInputStream(socket.getInputStream());
                int replies = 0;
                try
                {
                    while (true)
                    {
                        final int status = in.readUnsignedByte();
                        in.readLong();
                        assertEquals(PublishStatus.OK, status);
                        replies++;
                    }
                }
                catch (final EOFException ex)
                {
                    // closed after the replies
                }
                catch (final IOException ex)
                {
                    fail("round " + round + ": " + ex + " after " + replies + " of " + frames + " replies");
                }
                assertEquals(frames, replies, "round " + round + ": every frame before the bad length is answered");
                socket.close();
                writer.join(10_000);
                assertFalse(writer.isAlive());
            }
        }
    }

    private static long connections(final long defaultConnections)
    {
        return Math.max(defaultConnections, FuzzInput.cases(0) / CASES_PER_CONNECTION);
    }

    /**
     * Frames {@code [first, end)} back to back on one connection while another thread reads the replies, then a
     * clean end, half a frame or a bad length; the node must answer every frame as the reference does, then close.
     */
    private void pipeline(final long first, final long end, final Random random) throws Exception
    {
        publisher.accepted.clear();
        final BlockingQueue<Expected> expected = new ArrayBlockingQueue<>(1 << 16);
        final String[] failure = new String[1];
        try (Socket socket = new Socket())
        {
            socket.setTcpNoDelay(true);
            socket.connect(server.localAddress(), 5_000);
            socket.setSoTimeout(10_000);
            final Thread reader = new Thread(() -> failure[0] = readReplies(socket, first, expected), "fuzz-ingest-reader");
            reader.start();
            try
            {
                final OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                for (long i = first; i < end; i++)
                {
                    final Stream frame = new Stream(random);
                    frame.frame();
                    if (!expected.offer(reference(frame.bytes()), 10, TimeUnit.SECONDS))
                    {
                        break; // the reader has stopped at a failure
                    }
                    out.write(frame.bytes());
                }
                switch (random.nextInt(3))
                {
                    case 0: break;
                    case 1:
                    {
                        final Stream half = new Stream(random);
                        half.frame();
                        out.write(half.bytes(), 0, random.nextInt(half.bytes().length));
                        break;
                    }
                    default: out.write(ByteBuffer.allocate(4).putInt(random.nextBoolean() ? 2 : (int)(MAX_FRAME_LENGTH + 1)).array());
                }
                out.flush();
                socket.shutdownOutput();
                expected.offer(END, 10, TimeUnit.SECONDS);
            }
            catch (final IOException ex)
            {
                // the reader has closed the socket at a failure
            }
            reader.join(30_000);
            assertFalse(reader.isAlive(), "frames " + first + ".." + end + ": the node neither answered nor closed");
        }
        assertNull(failure[0]);
    }

    /** @return null when every reply is the one expected and the node then closes, else what differed. */
    private String readReplies(final Socket socket, final long first, final BlockingQueue<Expected> expected)
    {
        String failure = null;
        try
        {
            final DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            for (long i = first; failure == null; i++)
            {
                final Expected want = expected.take();
                if (want == END)
                {
                    return in.read() < 0 ? null : "a reply beyond the frames sent";
                }
                final int status = in.readUnsignedByte();
                final long id = in.readLong();
                if (status != want.statuses.get(0) || (status == PublishStatus.OK) != (id > 0))
                {
                    failure = "frame case " + i + ": status " + status + " id " + id + ", contract " + want.statuses.get(0);
                }
                else if (status == PublishStatus.OK)
                {
                    final byte[][] got = publisher.accepted.poll();
                    if (got == null || !Arrays.equals(got[0], want.accepted.get(0)[0]) ||
                        !Arrays.equals(got[1], want.accepted.get(0)[1]))
                    {
                        failure = "frame case " + i + ": accepted bytes differ from the bytes sent";
                    }
                }
            }
            socket.close();
        }
        catch (final IOException | InterruptedException ex)
        {
            failure = failure == null ? "reader: " + ex : failure;
        }
        return failure;
    }

    /** Send in random pieces, half-close, read every reply until the node closes; compare with the reference. */
    private void check(final String name, final byte[] stream, final Random random) throws IOException
    {
        publisher.accepted.clear();
        final Expected expected = reference(stream);
        final List<Integer> statuses = new ArrayList<>();
        final List<Long> ids = new ArrayList<>();
        boolean reset = false;
        try (Socket socket = new Socket())
        {
            socket.setTcpNoDelay(true);
            socket.connect(server.localAddress(), 5_000);
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            try
            {
                int sent = 0;
                while (sent < stream.length)
                {
                    final int n = Math.min(stream.length - sent, 1 + random.nextInt(random.nextBoolean() ? 8 : 4096));
                    out.write(stream, sent, n);
                    out.flush();
                    sent += n;
                }
                socket.shutdownOutput();
            }
            catch (final IOException ex)
            {
                // The node may close (after a bad length) while bytes are still being sent; replies must still come.
                assertTrue(expected.closesOnBadLength, name + ": write failed though the stream has no bad length: " + ex);
            }
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            try
            {
                while (true)
                {
                    final int status = in.readUnsignedByte();
                    statuses.add(status);
                    ids.add(in.readLong());
                }
            }
            catch (final EOFException ex)
            {
                // the node closed the connection: every reply has been read
            }
            catch (final SocketTimeoutException ex)
            {
                fail(name + ": the node neither answered nor closed within 10 s; got " + statuses + ", expected " +
                    expected.statuses + " for " + FuzzInput.hex(stream));
            }
            catch (final IOException ex)
            {
                reset = true;
            }
        }
        final String description = name + ": " + FuzzInput.hex(stream);
        if (reset)
        {
            fail(name + ": connection reset before every reply was read; got " + statuses + ", expected " +
                expected.statuses + " for " + description);
        }
        assertEquals(expected.statuses, statuses, description);
        final List<byte[][]> accepted = new ArrayList<>(publisher.accepted);
        assertEquals(expected.accepted.size(), accepted.size(), description);
        int okIndex = 0;
        for (int r = 0; r < statuses.size(); r++)
        {
            if (statuses.get(r) == PublishStatus.OK)
            {
                assertTrue(ids.get(r) > 0, description);
                assertEquals(new String(expected.accepted.get(okIndex)[0], StandardCharsets.ISO_8859_1),
                    new String(accepted.get(okIndex)[0], StandardCharsets.ISO_8859_1), description);
                assertEquals(FuzzInput.hex(expected.accepted.get(okIndex)[1]), FuzzInput.hex(accepted.get(okIndex)[1]),
                    description);
                okIndex++;
            }
            else
            {
                assertEquals(0L, ids.get(r), description);
            }
        }
    }

    /** What the contract says the node answers to a byte stream. */
    static final class Expected
    {
        final List<Integer> statuses = new ArrayList<>();
        final List<byte[][]> accepted = new ArrayList<>();
        boolean closesOnBadLength;
    }

    /** The reference decoder, written from PROTOCOL.md rather than from the code under test. */
    static Expected reference(final byte[] stream)
    {
        final Expected expected = new Expected();
        final ByteBuffer in = ByteBuffer.wrap(stream);
        while (in.remaining() >= 4)
        {
            final long length = in.getInt(in.position()) & 0xFFFF_FFFFL;
            if (length < 3 || length > MAX_FRAME_LENGTH)
            {
                expected.closesOnBadLength = true;
                break;
            }
            if (in.remaining() < 4 + length)
            {
                break; // a half frame at the end: dropped, never answered
            }
            final int start = in.position() + 4;
            final int flags = stream[start] & 0xFF;
            final int targetLength = ((stream[start + 1] & 0xFF) << 8) | (stream[start + 2] & 0xFF);
            if ((flags & ~3) != 0 || 3 + targetLength > length)
            {
                expected.statuses.add(PublishStatus.BAD_FRAME);
            }
            else
            {
                final byte[] target = Arrays.copyOfRange(stream, start + 3, start + 3 + targetLength);
                final byte[] payload = Arrays.copyOfRange(stream, start + 3 + targetLength, start + (int)length);
                int status = InboundMessageFuzzTest.expectedStatus((byte)flags, target, payload, MAX_PAYLOAD);
                if (status == InboundMessageFuzzTest.UNDECIDED)
                {
                    // A number JsonParser cannot hold (exponent beyond an int): InboundMessageFuzzTest covers that
                    // class; here the framing is under test, so take the validator's word.
                    status = JsonValidator.isValid(new UnsafeBuffer(payload), 0, payload.length) ?
                        PublishStatus.OK : PublishStatus.BAD_PAYLOAD;
                }
                expected.statuses.add(status);
                if (status == PublishStatus.OK)
                {
                    expected.accepted.add(new byte[][]{target, payload});
                }
            }
            in.position(start + (int)length);
        }
        return expected;
    }

    /** Frames built from the contract, each with one kind of defect or none. */
    private static final class Stream
    {
        final Random random;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Stream(final Random random)
        {
            this.random = random;
        }

        byte[] bytes()
        {
            return out.toByteArray();
        }

        void frame()
        {
            final boolean json = random.nextBoolean();
            final int flags = (json ? InboundMessage.FLAG_JSON : 0) | (random.nextBoolean() ? InboundMessage.FLAG_GROUP : 0);
            final byte[] target = FuzzInput.validName(random).getBytes(StandardCharsets.US_ASCII);
            final byte[] payload = json ? FuzzInput.json(random, 2).getBytes(StandardCharsets.UTF_8) :
                FuzzInput.utf8Biased(random, 20, 0);
            switch (random.nextInt(10))
            {
                case 0: put(4 + random.nextInt(252), target.length, target, payload); break;   // unknown flag bits
                case 1:                                                                         // target beyond the frame
                    put(flags, target.length + payload.length + 1 + random.nextInt(100), target, payload);
                    break;
                case 2: put(flags, target.length, FuzzInput.invalidName(random).getBytes(StandardCharsets.UTF_8), payload);
                    break;
                case 3: put(flags, -1, target, new byte[MAX_PAYLOAD + 1 + random.nextInt(IngestDescriptor.FRAME_SLACK_BYTES - 300)]);
                    break;
                case 4: put(flags & ~InboundMessage.FLAG_JSON, target.length, target, FuzzInput.utf8Biased(random, 10, 3));
                    break;
                case 5: put(flags | InboundMessage.FLAG_JSON, target.length, target,
                    FuzzInput.mutate(random, FuzzInput.json(random, 2).getBytes(StandardCharsets.UTF_8)));
                    break;
                case 6: put(random.nextInt(4), 0, new byte[0], new byte[0]); break;            // length exactly 3
                default: put(flags, target.length, target, payload.length <= MAX_PAYLOAD ? payload : new byte[0]);
            }
        }

        /** A frame; {@code targetLength} -1 means the real one. */
        void put(final int flags, final int targetLength, final byte[] target, final byte[] payload)
        {
            final ByteBuffer frame = ByteBuffer.allocate(4 + 3 + target.length + payload.length);
            frame.putInt(3 + target.length + payload.length).put((byte)flags)
                .putShort((short)(targetLength < 0 ? target.length : targetLength)).put(target).put(payload);
            out.writeBytes(frame.array());
        }

        /** How the stream ends: cleanly, with half a frame, or with a bad length (then maybe more bytes). */
        void ending()
        {
            switch (random.nextInt(4))
            {
                case 0: break;
                case 1:
                {
                    final Stream half = new Stream(random);
                    half.frame();
                    final byte[] bytes = half.bytes();
                    out.write(bytes, 0, random.nextInt(bytes.length));
                    break;
                }
                default:
                {
                    final long[] lengths = {0, 1, 2, MAX_FRAME_LENGTH + 1, 0xFFFF_FFFFL, 0x8000_0000L};
                    final long length = lengths[random.nextInt(lengths.length)];
                    out.write((int)(length >>> 24));
                    out.write((int)(length >>> 16));
                    out.write((int)(length >>> 8));
                    out.write((int)length);
                    if (random.nextBoolean())
                    {
                        out.writeBytes(FuzzInput.randomBytes(random, 2_000));
                    }
                }
            }
        }
    }

    /** Stands in for the pipeline: answers each publish at once, ids from 1, and keeps what it accepted. */
    private static final class AnsweringPublisher extends IngestOnlyPublisher
    {
        final ConcurrentLinkedQueue<byte[][]> accepted = new ConcurrentLinkedQueue<>();
        private long nextId;

        @Override
        public boolean publish(final InboundMessage message)
        {
            long id = 0;
            if (message.status() == PublishStatus.OK)
            {
                id = ++nextId;
                final byte[] target = new byte[message.targetLength()];
                final byte[] payload = new byte[message.payloadLength()];
                message.buffer().getBytes(message.targetOffset(), target);
                message.buffer().getBytes(message.payloadOffset(), payload);
                accepted.add(new byte[][]{target, payload});
            }
            if (message.replier().reply(message.status(), id))
            {
                message.replier().commit();
            }
            return true;
        }
    }
}
