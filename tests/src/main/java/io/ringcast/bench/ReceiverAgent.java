package io.ringcast.bench;

import io.ringcast.bench.ws.ServerFrameHeader;
import io.ringcast.bench.ws.WebSocketCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The receive side of the load generator: one thread, one {@link Selector}, many {@link BenchClient}s. It completes
 * each client's handshake, waits for its {@code subscribed} reply, then parses the server's frames in place in one
 * read buffer (shared codec: {@link ServerFrameHeader}, {@link WebSocketCodec}) and hands each delivery
 * {@code {"id":N,"topic":"T","data":"<nanos>:<seq>:xxx"}} to its {@link DeliveryRecorder}. Nothing is allocated per
 * frame: partial frames are carried in the client's pending array, which grows only to the largest frame seen.
 * <p>
 * A client marked {@link BenchClient#stalled} stops reading (its key's interest set emptied) right after its
 * {@code subscribed} reply, so the node sees a client that does not read; {@link #resumeStalled()} makes it read
 * again. Its deliveries are counted but never recorded as latency.
 * <p>
 * Threading: {@link #register}, {@link #resumeStalled}, {@link #stop} and the recorder's {@code measureWindow} and
 * {@code deliveries} may be called from any thread; every other accessor only after the agent's thread has ended.
 */
final class ReceiverAgent implements Runnable
{
    private static final byte[] DELIVERY_PREFIX = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HTTP_HEAD_BYTES = 16 * 1024;
    private static final long MAX_FRAME_BYTES = 256L * 1024 * 1024;
    private static final int MAX_CLOSE_CODE = 4999;

    private final Selector selector;
    private final Queue<BenchClient> registrations = new ConcurrentLinkedQueue<>();
    private final List<BenchClient> clients = new ArrayList<>();
    private final DeliveryRecorder recorder;
    private final AtomicInteger subscribedCount;
    private final AtomicInteger failedCount;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final ServerFrameHeader header = new ServerFrameHeader();
    private final byte[] controlFrame = new byte[125 + WebSocketCodec.MAX_HEADER_BYTES];
    private final ByteBuffer controlFrameBuffer = ByteBuffer.wrap(controlFrame);
    private final byte[] closePayload = new byte[2];
    private final int[] closeCodeCounts = new int[MAX_CLOSE_CODE + 1];

    private volatile boolean running = true;
    private volatile boolean resumeRequested;
    private boolean resumed;
    private byte[] readBytes;
    private ByteBuffer readBuffer;
    private int neededBytes;
    private long nowNs;
    private long protocolErrors;
    private String lastOtherMessage;
    private Throwable error;

    /**
     * @param readBufferBytes initial size of the read buffer; it grows to hold the largest frame seen.
     * @param highestLatencyUs the histogram's highest trackable value; larger latencies are clamped to it.
     * @param subscribedCount incremented when a client's {@code subscribed} reply arrives.
     * @param failedCount incremented when a client fails before it is subscribed.
     */
    ReceiverAgent(
        final int readBufferBytes,
        final long highestLatencyUs,
        final AtomicInteger subscribedCount,
        final AtomicInteger failedCount) throws IOException
    {
        this.selector = Selector.open();
        this.recorder = new DeliveryRecorder(highestLatencyUs);
        this.subscribedCount = subscribedCount;
        this.failedCount = failedCount;
        this.readBytes = new byte[readBufferBytes];
        this.readBuffer = ByteBuffer.wrap(readBytes);
    }

    /** Hand a connected client (upgrade request written, non-blocking) to this agent's thread. */
    void register(final BenchClient client)
    {
        registrations.add(client);
        selector.wakeup();
    }

    /** Let the stalled clients read again (from the agent's thread, at its next wake-up). */
    void resumeStalled()
    {
        resumeRequested = true;
        selector.wakeup();
    }

    /** Ask the thread to close its clients (close code 1000) and end; it ends within the select timeout. */
    void stop()
    {
        running = false;
        selector.wakeup();
    }

    /** What the deliveries showed: order, latency, counts (see its threading rules). */
    DeliveryRecorder recorder()
    {
        return recorder;
    }

    @Override
    public void run()
    {
        try
        {
            while (running)
            {
                registerNewClients();
                if (resumeRequested && !resumed)
                {
                    resumeClients();
                }
                selector.select(onReady, 100);
                recorder.publish();
            }
        }
        catch (final Throwable ex)
        {
            error = ex;
        }
        finally
        {
            recorder.publish();
            closeAll();
        }
    }

    private void registerNewClients()
    {
        BenchClient client;
        while ((client = registrations.poll()) != null)
        {
            clients.add(client);
            try
            {
                client.key = client.channel.register(selector, SelectionKey.OP_READ, client);
            }
            catch (final ClosedChannelException ex)
            {
                fail(client, "channel closed before registration");
            }
        }
    }

    private void resumeClients()
    {
        resumed = true;
        for (int i = 0; i < clients.size(); i++)
        {
            final BenchClient client = clients.get(i);
            if (client.paused && client.state != BenchClient.STATE_CLOSED)
            {
                client.paused = false;
                client.key.interestOps(SelectionKey.OP_READ);
            }
        }
    }

    private void onReady(final SelectionKey key)
    {
        final BenchClient client = (BenchClient)key.attachment();
        if (key.isValid() && client.state != BenchClient.STATE_CLOSED)
        {
            read(client);
        }
    }

    private void read(final BenchClient client)
    {
        int length = client.pendingLength;
        System.arraycopy(client.pending, 0, readBytes, 0, length);
        client.pendingLength = 0;
        boolean more = true;
        while (more)
        {
            readBuffer.limit(readBytes.length).position(length);
            int read;
            try
            {
                read = client.channel.read(readBuffer);
            }
            catch (final IOException ex)
            {
                read = -1;
            }
            if (read > 0)
            {
                length += read;
            }
            more = length == readBytes.length;
            nowNs = System.nanoTime();
            neededBytes = 0;
            final int consumed = parse(client, length);
            if (client.state == BenchClient.STATE_CLOSED)
            {
                return;
            }
            final int remaining = length - consumed;
            if (consumed > 0 && remaining > 0)
            {
                System.arraycopy(readBytes, consumed, readBytes, 0, remaining);
            }
            length = remaining;
            if (read < 0)
            {
                onEnd(client, WebSocketCodec.CLOSE_ABNORMAL, false);
                return;
            }
            if (neededBytes > readBytes.length)
            {
                growReadBuffer(neededBytes, length);
                more = true;
            }
            more &= !client.paused;
        }
        client.ensurePendingCapacity(length);
        System.arraycopy(readBytes, 0, client.pending, 0, length);
        client.pendingLength = length;
    }

    /** Parse whole frames in {@code readBytes[0, length)}; returns the bytes consumed. */
    private int parse(final BenchClient client, final int length)
    {
        int offset = 0;
        if (client.state == BenchClient.STATE_HANDSHAKE)
        {
            offset = parseHandshake(client, length);
            if (offset <= 0)
            {
                return 0;
            }
        }
        while (client.state != BenchClient.STATE_CLOSED && header.decode(readBytes, offset, length - offset))
        {
            final long payloadLength = header.payloadLength();
            if (payloadLength < 0 || payloadLength > MAX_FRAME_BYTES)
            {
                protocolErrors++;
                onEnd(client, WebSocketCodec.CLOSE_ABNORMAL, false);
                break;
            }
            final int frameLength = header.frameLength();
            if (length - offset < frameLength)
            {
                neededBytes = frameLength;
                break;
            }
            if (header.masked())
            {
                protocolErrors++;
            }
            else
            {
                onFrame(client, header.fin(), header.opcode(), offset + header.headerLength(), (int)payloadLength);
            }
            offset += frameLength;
        }
        return offset;
    }

    /** Returns the offset after the HTTP head, 0 while incomplete, -1 when the upgrade failed. */
    private int parseHandshake(final BenchClient client, final int length)
    {
        final int end = WebSocketCodec.endOfHead(readBytes, length);
        if (end < 0)
        {
            if (length > MAX_HTTP_HEAD_BYTES)
            {
                fail(client, "HTTP answer without end of head");
                return -1;
            }
            neededBytes = length + 1;
            return 0;
        }
        final String problem = WebSocketCodec.upgradeProblem(
            new String(readBytes, 0, end - 4, StandardCharsets.ISO_8859_1), client.handshakeKey);
        if (problem != null)
        {
            fail(client, problem);
            return -1;
        }
        client.state = BenchClient.STATE_AWAIT_SUBSCRIBED;
        return end;
    }

    private void onFrame(final BenchClient client, final boolean fin, final int opcode, final int from, final int length)
    {
        switch (opcode)
        {
            case WebSocketCodec.OPCODE_TEXT ->
            {
                if (fin)
                {
                    onText(client, from, from + length);
                }
                else
                {
                    protocolErrors++;
                }
            }
            case WebSocketCodec.OPCODE_CLOSE -> onEnd(client, WebSocketCodec.closeCode(readBytes, from, length), true);
            case WebSocketCodec.OPCODE_PING ->
                writeControl(client, WebSocketCodec.OPCODE_PONG, readBytes, from, Math.min(length, 125));
            case WebSocketCodec.OPCODE_PONG ->
            {
            }
            case WebSocketCodec.OPCODE_CONTINUATION -> protocolErrors++;
            default -> client.otherMessages++;
        }
    }

    private void onText(final BenchClient client, final int from, final int limit)
    {
        final byte[] bytes = readBytes;
        if (client.state == BenchClient.STATE_LIVE && AsciiCodec.startsWith(bytes, from, limit, DELIVERY_PREFIX))
        {
            final int idFrom = from + DELIVERY_PREFIX.length;
            final long id = AsciiCodec.parseLong(bytes, idFrom, limit);
            if (id != AsciiCodec.NO_NUMBER)
            {
                recorder.onDelivery(client, id, bytes, AsciiCodec.skipDigits(bytes, idFrom, limit), limit, nowNs);
                return;
            }
        }
        onControlMessage(client, new String(bytes, from, limit - from, StandardCharsets.UTF_8));
    }

    /** Rare messages (subscribe reply, errors): parsed as text. */
    private void onControlMessage(final BenchClient client, final String text)
    {
        if (client.state == BenchClient.STATE_AWAIT_SUBSCRIBED && text.contains("\"type\":\"subscribed\""))
        {
            final long head = AsciiCodec.jsonNumber(text, "head");
            client.headId = Math.max(0, head);
            client.lastId = client.headId;
            client.state = BenchClient.STATE_LIVE;
            if (client.stalled && !resumed)
            {
                client.paused = true;
                client.key.interestOps(0);
            }
            subscribedCount.incrementAndGet();
            return;
        }
        if (client.state == BenchClient.STATE_AWAIT_SUBSCRIBED && text.contains("\"type\":\"error\""))
        {
            fail(client, "subscribe refused: " + text);
            return;
        }
        client.otherMessages++;
        lastOtherMessage = text;
    }

    /** The connection ended: {@code code} from the server's close frame, or 1006 without one. */
    private void onEnd(final BenchClient client, final int code, final boolean replyClose)
    {
        final boolean wasLive = client.state == BenchClient.STATE_LIVE;
        if (replyClose)
        {
            writeCloseFrame(client, code == WebSocketCodec.CLOSE_NO_STATUS ? WebSocketCodec.CLOSE_NORMAL : code);
        }
        client.serverCloseCode = code;
        closeCodeCounts[Math.min(Math.max(code, 0), MAX_CLOSE_CODE)]++;
        closeChannel(client);
        if (!wasLive && client.failure == null)
        {
            client.failure = "closed by the server with " + code + " before subscribed";
            failedCount.incrementAndGet();
        }
    }

    private void fail(final BenchClient client, final String reason)
    {
        if (client.failure == null && client.state != BenchClient.STATE_LIVE)
        {
            client.failure = reason;
            failedCount.incrementAndGet();
        }
        closeChannel(client);
    }

    private void closeAll()
    {
        for (int i = 0; i < clients.size(); i++)
        {
            final BenchClient client = clients.get(i);
            if (client.state != BenchClient.STATE_CLOSED)
            {
                writeCloseFrame(client, WebSocketCodec.CLOSE_NORMAL);
                closeChannel(client);
            }
        }
        BenchClient client;
        while ((client = registrations.poll()) != null)
        {
            clients.add(client);
            closeChannel(client);
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // nothing left to release
        }
    }

    private void closeChannel(final BenchClient client)
    {
        client.state = BenchClient.STATE_CLOSED;
        if (client.key != null)
        {
            client.key.cancel();
        }
        try
        {
            client.channel.close();
        }
        catch (final IOException ignore)
        {
            // already gone
        }
    }

    private void writeCloseFrame(final BenchClient client, final int code)
    {
        closePayload[0] = (byte)(code >>> 8);
        closePayload[1] = (byte)code;
        writeControl(client, WebSocketCodec.OPCODE_CLOSE, closePayload, 0, 2);
    }

    /** Best-effort write of a masked control frame whose payload is {@code source[from, from+length)}. */
    private void writeControl(
        final BenchClient client, final int opcode, final byte[] source, final int from, final int length)
    {
        final int frameLength = WebSocketCodec.encodeFrame(
            controlFrame, 0, opcode, true, true, ThreadLocalRandom.current().nextInt(), source, from, length);
        final ByteBuffer frame = controlFrameBuffer;
        frame.limit(frameLength).position(0);
        try
        {
            client.channel.write(frame);
        }
        catch (final IOException ignore)
        {
            // the peer is gone; the read side notices
        }
    }

    private void growReadBuffer(final int capacity, final int keep)
    {
        final byte[] bigger = new byte[Math.max(capacity, readBytes.length * 2)];
        System.arraycopy(readBytes, 0, bigger, 0, keep);
        readBytes = bigger;
        readBuffer = ByteBuffer.wrap(readBytes);
    }

    List<BenchClient> clients()
    {
        return clients;
    }

    /** Masked, fragmented or malformed server frames. */
    long protocolErrors()
    {
        return protocolErrors;
    }

    /** Connections ended per close code (1006: without a close frame), including those closed by the server. */
    int[] closeCodeCounts()
    {
        return closeCodeCounts;
    }

    /** The last unexpected text message, for diagnosis, or null. */
    String lastOtherMessage()
    {
        return lastOtherMessage;
    }

    /** What ended the thread abnormally, or null. */
    Throwable error()
    {
        return error;
    }
}
