package io.ringcast.transport.ingest;

import io.ringcast.transport.InboundMessage;
import io.ringcast.transport.MessagePublisher;
import io.ringcast.transport.PublishReplier;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.metrics.Metrics;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * One publisher connection on the ingest port.
 * <p>
 * The ingest thread reads and decodes frames and publishes each one (accepted or refused) into the pipeline, so
 * replies come back in frame order. The journal thread records replies in a single-producer single-consumer ring
 * of {@code long}s ({@code status << 56 | id}); the ingest thread writes them to the socket. At most
 * {@link #MAX_IN_FLIGHT} frames are unanswered: past that the connection is not read, which pushes back on the
 * publisher through TCP. When the pipeline is full ({@link MessagePublisher#publish} refuses), the frame stays in
 * the read buffer, the connection is {@linkplain #isBackPressured() back-pressured} (not read) and the ingest thread
 * retries it on a later pass ({@link #decodeFrames()}), so it never waits on the ring and its other connections
 * are served meanwhile.
 */
final class IngestConnection implements PublishReplier
{
    static final int MAX_IN_FLIGHT = 16 * 1024;
    /** Frames after which ring slots may keep this connection as their replier (see {@link #retainable()}). */
    static final long RETAIN_AFTER_FRAMES = 1024;
    private static final int INITIAL_READ_BYTES = 64 * 1024;

    private static final VarHandle REPLIES_PUBLISHED;

    static
    {
        try
        {
            REPLIES_PUBLISHED = MethodHandles.lookup()
                .findVarHandle(IngestConnection.class, "repliesPublished", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final SocketChannel channel;
    private final String remoteAddress;
    private final IngestServer server;
    private final MessagePublisher publisher;
    private final Metrics metrics;
    private final int maxPayloadBytes;
    private final long maxFrameLength;
    private final InboundMessage message = new InboundMessage();

    // reply ring: written by the journal thread, read by the ingest thread
    private final long[] replies = new long[MAX_IN_FLIGHT];
    private long repliesProduced;
    private boolean uncommitted;
    private volatile long repliesPublished;

    // ingest thread
    private ByteBuffer readBuffer = ByteBuffer.allocate(INITIAL_READ_BYTES);
    private final UnsafeBuffer frameView = new UnsafeBuffer(readBuffer);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(IngestDescriptor.REPLY_BYTES * 1024)
        .order(ByteOrder.BIG_ENDIAN);
    private long framesPublished;
    private long repliesConsumed;
    private boolean inputDone;
    private boolean backPressured;
    private boolean closed;
    /** Set by the ingest thread, read by the fan-out thread when it releases a ring slot. */
    private volatile boolean retainable;

    IngestConnection(
        final SocketChannel channel,
        final IngestServer server,
        final MessagePublisher publisher,
        final Metrics metrics,
        final int maxPayloadBytes)
    {
        this.channel = channel;
        this.remoteAddress = String.valueOf(channel.socket().getRemoteSocketAddress());
        this.server = server;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxFrameLength = IngestDescriptor.maxFrameLength(maxPayloadBytes);
        writeBuffer.flip();
    }

    SocketChannel channel()
    {
        return channel;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Journal thread
    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public boolean reply(final int status, final long id)
    {
        replies[(int)(repliesProduced & (MAX_IN_FLIGHT - 1))] = ((long)status << 56) | id;
        repliesProduced++;
        if (uncommitted)
        {
            return false;
        }
        uncommitted = true;
        return true;
    }

    /**
     * True while the connection is open and has published at least {@link #RETAIN_AFTER_FRAMES} frames: a steady
     * publisher, whose next messages then need no reference store into the ring's slots (see
     * {@link PublishReplier#retainable()}). A one-shot publisher (a script, the CLI) is never kept, and a closed
     * connection is dropped by the next release of a slot holding it, so slots keep few connections (each ~200 KB).
     */
    @Override
    public boolean retainable()
    {
        return retainable;
    }

    @Override
    public void commit()
    {
        uncommitted = false;
        REPLIES_PUBLISHED.setRelease(this, repliesProduced);
        server.wakeup();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Ingest thread
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Read what the socket has and publish every complete frame.
     *
     * @return bytes read, -1 when the peer has closed its side or input is finished.
     */
    int onReadable() throws IOException
    {
        if (inputDone)
        {
            return -1;
        }
        final int read = channel.read(readBuffer);
        if (read < 0)
        {
            inputDone = true;
        }
        decodeFrames();
        return read;
    }

    /**
     * Publish complete frames from the read buffer while fewer than {@link #MAX_IN_FLIGHT} are unanswered, until the
     * pipeline refuses one: that one is kept and tried first by the next call.
     */
    void decodeFrames()
    {
        backPressured = false;
        readBuffer.flip();
        try
        {
            while (framesPublished - repliesConsumed < MAX_IN_FLIGHT && readBuffer.remaining() >= 4)
            {
                final int start = readBuffer.position();
                final long length = readBuffer.getInt(start) & 0xFFFF_FFFFL;
                if (length < IngestDescriptor.MIN_FRAME_LENGTH || length > maxFrameLength)
                {
                    metrics.ingestBadLength.increment();
                    server.badLengthLog().record(System.nanoTime(), "ingest " + remoteAddress +
                        ": frame length " + length + " (allowed 3.." + maxFrameLength + ")");
                    inputDone = true;
                    readBuffer.position(readBuffer.limit());
                    return;
                }
                final int frameEnd = start + 4 + (int)length;
                if (frameEnd > readBuffer.limit())
                {
                    // Grow with the bytes that actually arrive, never on the length field's word alone: a peer
                    // announcing big frames and sending nothing must not pin memory.
                    if (readBuffer.limit() == readBuffer.capacity() && 4 + length > readBuffer.capacity())
                    {
                        growReadBuffer((int)Math.min(4 + length, 2L * readBuffer.capacity()));
                    }
                    return;
                }
                if (!publishFrame(start + 4, (int)length))
                {
                    metrics.backPressured.increment();
                    backPressured = true;
                    return;
                }
                readBuffer.position(frameEnd);
            }
        }
        finally
        {
            readBuffer.compact();
        }
    }

    /** @return false when the pipeline is full: nothing was published. */
    private boolean publishFrame(final int offset, final int length)
    {
        final byte flags = frameView.getByte(offset + IngestDescriptor.FLAGS_OFFSET);
        final int targetLength = frameView.getShort(offset + IngestDescriptor.TARGET_LENGTH_OFFSET,
            ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if ((flags & ~InboundMessage.KNOWN_FLAGS) != 0 || IngestDescriptor.TARGET_OFFSET + targetLength > length)
        {
            if (!publisher.publish(message.rejected(PublishStatus.BAD_FRAME, this)))
            {
                return false;
            }
        }
        else
        {
            final int targetOffset = offset + IngestDescriptor.TARGET_OFFSET;
            final int payloadOffset = targetOffset + targetLength;
            message.wrap(flags, frameView, targetOffset, targetLength, payloadOffset,
                offset + length - payloadOffset, maxPayloadBytes, this);
            if (!publisher.publish(message))
            {
                return false;
            }
        }
        metrics.ingestFrames.incrementRelease();
        framesPublished++;
        if (framesPublished == RETAIN_AFTER_FRAMES)
        {
            retainable = true;
        }
        return true;
    }

    /** Drain published replies to the socket. @return true when some are still waiting for socket space. */
    boolean writeReplies() throws IOException
    {
        final long published = repliesPublished;
        while (true)
        {
            if (writeBuffer.hasRemaining())
            {
                channel.write(writeBuffer);
                if (writeBuffer.hasRemaining())
                {
                    return true;
                }
            }
            if (repliesConsumed == published)
            {
                return false;
            }
            writeBuffer.clear();
            while (repliesConsumed < published && writeBuffer.remaining() >= IngestDescriptor.REPLY_BYTES)
            {
                final long reply = replies[(int)(repliesConsumed & (MAX_IN_FLIGHT - 1))];
                writeBuffer.put((byte)(reply >>> 56)).putLong(reply & 0x00FF_FFFF_FFFF_FFFFL);
                repliesConsumed++;
            }
            writeBuffer.flip();
        }
    }

    /** The pipeline refused the next frame: do not read, call {@link #decodeFrames()} again a little later. */
    boolean isBackPressured()
    {
        return backPressured;
    }

    boolean isBlockedOnReplies()
    {
        return framesPublished - repliesConsumed >= MAX_IN_FLIGHT;
    }

    /** Every frame published has been answered and written. */
    boolean allAnswered()
    {
        return !backPressured && repliesConsumed == framesPublished && !writeBuffer.hasRemaining();
    }

    boolean isInputDone()
    {
        return inputDone;
    }

    /** Stop taking frames: what is complete in the buffer is still published, the rest is dropped. */
    void finishInput()
    {
        inputDone = true;
    }

    void close()
    {
        if (!closed)
        {
            closed = true;
            retainable = false;
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
            }
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    /** Bytes of read buffer this connection holds. */
    int bufferedBytes()
    {
        return readBuffer.capacity();
    }

    String remoteAddress()
    {
        return remoteAddress;
    }

    private void growReadBuffer(final int capacity)
    {
        final ByteBuffer bigger = ByteBuffer.allocate(capacity);
        bigger.put(readBuffer);
        bigger.flip();
        readBuffer = bigger;
        frameView.wrap(readBuffer);
    }
}
