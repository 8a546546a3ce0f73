package io.ringcast.bench.fuzz;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.MessagePublisher;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.codec.JsonValidator;
import io.ringcast.transport.ingest.IngestDescriptor;
import io.ringcast.transport.ingest.IngestServer;
import io.ringcast.transport.metrics.Metrics;
import io.ringcast.transport.websocket.ClientRequest;
import io.ringcast.transport.websocket.ClientSession;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.CRC32;

/**
 * The ingest port's decoder over real loopback sockets, behind a stand-in pipeline that answers at once.
 * <ul>
 *     <li>{@link Frames}: one case is one frame with one defect or none, pipelined on long-lived connections; every
 *     reply must be the status a reference decoder written from the contract gives, in order, and each accepted
 *     message must carry exactly the target and payload sent. Each connection ends cleanly, with half a frame or
 *     with a bad length; the node must then close it after the replies owed.</li>
 *     <li>{@link Garbage}: one case is one connection sent random bytes, half-closed; the replies until the node
 *     closes must be exactly the reference decoder's.</li>
 * </ul>
 */
public final class IngestDecoderTarget
{
    static final int MAX_PAYLOAD = 256;
    static final long MAX_FRAME_LENGTH = IngestDescriptor.maxFrameLength(MAX_PAYLOAD);

    private IngestDecoderTarget()
    {
    }

    /** Frames with defects, pipelined. */
    public static final class Frames extends FuzzTarget
    {
        private static final int FRAMES_PER_CONNECTION = 100_000;
        private final Node node = new Node();

        @Override
        public String name()
        {
            return "ingest-frames";
        }

        @Override
        public String description()
        {
            return "pipelined frames with every defect over loopback; statuses and accepted bytes as the contract says";
        }

        @Override
        protected void runCase(final Random random)
        {
            throw new UnsupportedOperationException("cases run pipelined in run()");
        }

        @Override
        public void run(final long seed, final long cases, final Failures failures) throws Exception
        {
            final Random random = new Random();
            long next = 0;
            while (next < cases)
            {
                final long end = Math.min(cases, next + FRAMES_PER_CONNECTION);
                connection(seed, next, end, random, failures);
                next = end;
            }
        }

        private void connection(
            final long seed, final long first, final long end, final Random random, final Failures failures)
            throws Exception
        {
            node.publisher.accepted.clear();
            final BlockingQueue<long[]> expected = new ArrayBlockingQueue<>(1 << 16);
            try (Socket socket = new Socket())
            {
                socket.setTcpNoDelay(true);
                socket.connect(node.server.localAddress(), 5_000);
                socket.setSoTimeout(10_000);
                final Thread reader = new Thread(() -> readReplies(socket, expected, failures), "fuzz-ingest-reader");
                reader.start();
                final OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                final CRC32 crc = new CRC32();
                for (long i = first; i < end; i++)
                {
                    random.setSeed(caseSeed(seed, i));
                    final byte[] frame = frame(random);
                    final int status = referenceStatus(frame, 4);
                    long checksum = 0;
                    if (status == PublishStatus.OK)
                    {
                        crc.reset();
                        crc.update(frame, 4 + 3, frame.length - 4 - 3);
                        checksum = crc.getValue();
                    }
                    expected.put(new long[]{i, status, checksum});
                    out.write(frame);
                }
                // How the connection ends: cleanly, with half a frame (never answered), or with a bad length.
                random.setSeed(caseSeed(seed, end));
                switch (random.nextInt(3))
                {
                    case 0: break;
                    case 1:
                    {
                        final byte[] half = frame(random);
                        out.write(half, 0, random.nextInt(half.length));
                        break;
                    }
                    default:
                        out.write(ByteBuffer.allocate(4).putInt(random.nextBoolean() ? 2 : (int)(MAX_FRAME_LENGTH + 1)).array());
                }
                out.flush();
                socket.shutdownOutput();
                expected.put(new long[]{-1, -1, 0});
                reader.join(30_000);
                if (reader.isAlive())
                {
                    failures.add(name(), end, "the node neither answered nor closed the connection");
                }
            }
        }

        private void readReplies(final Socket socket, final BlockingQueue<long[]> expected, final Failures failures)
        {
            final CRC32 crc = new CRC32();
            try
            {
                final DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
                while (true)
                {
                    final long[] want = expected.take();
                    if (want[0] < 0)
                    {
                        if (in.read() >= 0)
                        {
                            failures.add(name(), -1, "a reply beyond the frames sent");
                        }
                        return;
                    }
                    final int status;
                    final long id;
                    try
                    {
                        status = in.readUnsignedByte();
                        id = in.readLong();
                    }
                    catch (final EOFException ex)
                    {
                        failures.add(name(), want[0], "connection closed before its reply");
                        return;
                    }
                    if (status != want[1] || (status == PublishStatus.OK) != (id > 0))
                    {
                        failures.add(name(), want[0], "status " + status + " id " + id + ", contract " + want[1]);
                        continue;
                    }
                    if (status == PublishStatus.OK)
                    {
                        final byte[][] got = node.publisher.accepted.poll();
                        crc.reset();
                        if (got != null)
                        {
                            crc.update(got[0]);
                            crc.update(got[1]);
                        }
                        if (got == null || crc.getValue() != want[2])
                        {
                            failures.add(name(), want[0], "accepted bytes differ from the bytes sent");
                        }
                    }
                }
            }
            catch (final IOException | InterruptedException ex)
            {
                failures.add(name(), -1, "reader: " + ex);
            }
        }

        @Override
        public void close()
        {
            node.close();
        }
    }

    /** Random bytes, one connection each. */
    public static final class Garbage extends FuzzTarget
    {
        private final Node node = new Node();

        @Override
        public String name()
        {
            return "ingest-garbage";
        }

        @Override
        public String description()
        {
            return "one loopback connection of random bytes per case, half-closed; replies as the contract says, then close";
        }

        @Override
        protected void runCase(final Random random) throws IOException
        {
            final byte[] garbage = FuzzInputs.randomBytes(random, 400);
            if (garbage.length >= 4 && random.nextBoolean())
            {
                ByteBuffer.wrap(garbage).putInt(3 + random.nextInt(Math.max(1, garbage.length)));
            }
            final ByteBuffer expected = ByteBuffer.allocate(garbage.length * 9 + 9);
            int offset = 0;
            while (garbage.length - offset >= 4)
            {
                final long length = ByteBuffer.wrap(garbage, offset, 4).getInt() & 0xFFFF_FFFFL;
                if (length < 3 || length > MAX_FRAME_LENGTH || garbage.length - offset - 4 < length)
                {
                    break;
                }
                expected.put((byte)referenceStatus(Arrays.copyOfRange(garbage, offset, offset + 4 + (int)length), 4));
                offset += 4 + (int)length;
            }
            final ByteBuffer got = ByteBuffer.allocate(expected.capacity() + 64);
            try (Socket socket = new Socket())
            {
                socket.connect(node.server.localAddress(), 5_000);
                socket.setSoTimeout(10_000);
                try
                {
                    socket.getOutputStream().write(garbage);
                    socket.shutdownOutput();
                }
                catch (final IOException closedFirst)
                {
                    // a bad length: the node may close while bytes are still being sent
                }
                final DataInputStream in = new DataInputStream(socket.getInputStream());
                try
                {
                    while (got.remaining() >= 9)
                    {
                        got.put((byte)in.readUnsignedByte());
                        in.readLong();
                    }
                }
                catch (final EOFException closed)
                {
                    // every reply read
                }
            }
            expected.flip();
            got.flip();
            check(expected.equals(got), "statuses " + FuzzInputs.hex(Arrays.copyOf(got.array(), got.limit())) +
                ", contract " + FuzzInputs.hex(Arrays.copyOf(expected.array(), expected.limit())) + " for " +
                FuzzInputs.hex(garbage));
        }

        @Override
        public void close()
        {
            node.close();
        }
    }

    /** A frame from the contract with one kind of defect or none (never a bad length). */
    static byte[] frame(final Random random)
    {
        final boolean json = random.nextBoolean();
        final int flags = (json ? InboundMessage.FLAG_JSON : 0) | (random.nextBoolean() ? InboundMessage.FLAG_GROUP : 0);
        final byte[] target = FuzzInputs.validName(random).getBytes(StandardCharsets.US_ASCII);
        final byte[] payload = json ? FuzzInputs.json(random, 2).getBytes(StandardCharsets.UTF_8) :
            FuzzInputs.utf8Biased(random, 20, 0);
        switch (random.nextInt(10))
        {
            case 0: return put(4 + random.nextInt(252), target.length, target, payload);
            case 1: return put(flags, target.length + payload.length + 1 + random.nextInt(100), target, payload);
            case 2: return put(flags, -1, FuzzInputs.invalidName(random).getBytes(StandardCharsets.UTF_8), payload);
            case 3: return put(flags, -1, target, new byte[MAX_PAYLOAD + 1 + random.nextInt(2000)]);
            case 4: return put(flags & ~InboundMessage.FLAG_JSON, -1, target, FuzzInputs.utf8Biased(random, 10, 3));
            case 5: return put(flags | InboundMessage.FLAG_JSON, -1, target,
                FuzzInputs.mutate(random, FuzzInputs.json(random, 2).getBytes(StandardCharsets.UTF_8)));
            case 6: return put(random.nextInt(4), 0, new byte[0], new byte[0]);
            default: return put(flags, -1, target, payload.length <= MAX_PAYLOAD ? payload : new byte[0]);
        }
    }

    private static byte[] put(final int flags, final int targetLength, final byte[] target, final byte[] payload)
    {
        return ByteBuffer.allocate(4 + 3 + target.length + payload.length).putInt(3 + target.length + payload.length)
            .put((byte)flags).putShort((short)(targetLength < 0 ? target.length : targetLength)).put(target).put(payload)
            .array();
    }

    /** The status the contract gives a whole frame (its length field at {@code frame[0..4)} is taken as valid). */
    static int referenceStatus(final byte[] frame, final int headerBytes)
    {
        final int length = frame.length - headerBytes;
        final int flags = frame[headerBytes] & 0xFF;
        final int targetLength = ((frame[headerBytes + 1] & 0xFF) << 8) | (frame[headerBytes + 2] & 0xFF);
        if ((flags & ~3) != 0 || 3 + targetLength > length)
        {
            return PublishStatus.BAD_FRAME;
        }
        final int targetOffset = headerBytes + 3;
        final byte[] payload = Arrays.copyOfRange(frame, targetOffset + targetLength, frame.length);
        final int status = PublishDecisionTarget.expectedStatus(flags,
            Arrays.copyOfRange(frame, targetOffset, targetOffset + targetLength), payload, MAX_PAYLOAD);
        if (status == PublishDecisionTarget.UNDECIDED)
        {
            // A number JsonParser cannot hold (exponent beyond an int): the json-validator target covers this
            // class against the parser; here the frame decoder is under test, so take the validator's word.
            return JsonValidator.isValid(new UnsafeBuffer(payload), 0, payload.length) ?
                PublishStatus.OK : PublishStatus.BAD_PAYLOAD;
        }
        return status;
    }

    /** An ingest server on loopback with a stand-in pipeline. */
    private static final class Node implements AutoCloseable
    {
        final AnsweringPublisher publisher = new AnsweringPublisher();
        final IngestServer server = new IngestServer(new InetSocketAddress("127.0.0.1", 0), publisher, new Metrics(),
            MAX_PAYLOAD);

        Node()
        {
            server.start();
        }

        @Override
        public void close()
        {
            server.close();
        }
    }

    /** Answers each publish at once (ids from 1) and keeps the target and payload of what it accepted. */
    private static final class AnsweringPublisher implements MessagePublisher
    {
        final ConcurrentLinkedQueue<byte[][]> accepted = new ConcurrentLinkedQueue<>();
        private long nextId;

        @Override
        public void publish(final InboundMessage message)
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
        }

        @Override
        public void request(final ClientSession session, final ClientRequest request)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void closed(final ClientSession session)
        {
            throw new UnsupportedOperationException();
        }
    }
}
