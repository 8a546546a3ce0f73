package io.ringcast.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The receive side of the load generator: one thread, one {@link Selector}, many {@link BenchClient}s.
 * <p>
 * It completes each client's RFC 6455 handshake, waits for its {@code subscribed} reply, then parses the server's
 * frames (unmasked; text, close, ping, pong; 7, 16 and 64-bit lengths) in place in one read buffer. For a delivery
 * {@code {"id":N,"topic":"T","data":"<nanos>:<seq>:xxx"}} it scans the bytes for the id and the publisher's stamp,
 * checks the id against the client's last one (in order, duplicate, out of order) and records
 * {@code receive nanoTime - stamp} into its own {@link Histogram} once the stamp is past the warm-up. Nothing is
 * allocated per frame: partial frames are carried in the client's pending array, which grows only to the largest
 * frame seen.
 * <p>
 * A client marked {@link BenchClient#stalled} stops reading (its key's interest set emptied) right after its
 * {@code subscribed} reply, so the node sees a client that does not read; {@link #resumeStalled()} makes it read
 * again. Its deliveries are counted but never recorded as latency.
 * <p>
 * Threading: {@link #register}, {@link #measureFrom}, {@link #resumeStalled}, {@link #stop} and {@link #deliveries}
 * may be called from any thread; every other accessor only after the agent's thread has ended.
 */
final class ReceiverAgent implements Runnable
{
    private static final byte[] DELIVERY_PREFIX = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_FIELD = "\"data\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HTTP_HEAD_BYTES = 16 * 1024;
    private static final long MAX_FRAME_BYTES = 256L * 1024 * 1024;
    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int OPCODE_PONG = 0xA;
    private static final int CLOSE_NORMAL = 1000;
    private static final int CLOSE_NO_STATUS = 1005;
    private static final int CLOSE_ABNORMAL = 1006;
    private static final int MAX_CLOSE_CODE = 4999;

    private final Selector selector;
    private final Queue<BenchClient> registrations = new ConcurrentLinkedQueue<>();
    private final List<BenchClient> clients = new ArrayList<>();
    private final Histogram histogram;
    private final AtomicInteger subscribedCount;
    private final AtomicInteger failedCount;
    private final AtomicLong publishedDeliveries = new AtomicLong();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final ByteBuffer controlFrame = ByteBuffer.allocateDirect(256);
    private final byte[] maskKey = {0x37, 0x5A, 0x12, 0x6B};
    private final byte[] closePayload = new byte[2];
    private final int[] closeCodeCounts = new int[MAX_CLOSE_CODE + 1];

    private volatile boolean running = true;
    private volatile boolean resumeRequested;
    private boolean resumed;
    private volatile long measureFromNs = Long.MAX_VALUE;
    private volatile long measureUntilNs = Long.MAX_VALUE;
    private byte[] readBytes;
    private ByteBuffer readBuffer;
    private int neededBytes;
    private long nowNs;
    private long deliveries;
    private long measuredDeliveries;
    private long receivedInWindow;
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
        this.histogram = new Histogram(1, highestLatencyUs, 3);
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

    /**
     * Record latencies only for stamps at or after {@code startNs}, and count deliveries received in
     * {@code [startNs, endNs)} ({@link System#nanoTime()} clock).
     */
    void measureWindow(final long startNs, final long endNs)
    {
        measureUntilNs = endNs;
        measureFromNs = startNs;
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

    /** In-order deliveries so far over all clients of this agent, as last published by its thread. */
    long deliveries()
    {
        return publishedDeliveries.get();
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
                publishedDeliveries.lazySet(deliveries);
            }
        }
        catch (final Throwable ex)
        {
            error = ex;
        }
        finally
        {
            publishedDeliveries.set(deliveries);
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
                onEnd(client, CLOSE_ABNORMAL, false);
                return;
            }
            if (neededBytes > readBytes.length)
            {
                growReadBuffer(neededBytes, length);
                more = true;
            }
            if (client.paused)
            {
                more = false;
            }
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
        final byte[] bytes = readBytes;
        while (client.state != BenchClient.STATE_CLOSED)
        {
            final int available = length - offset;
            if (available < 2)
            {
                break;
            }
            final int b0 = bytes[offset] & 0xFF;
            final int b1 = bytes[offset + 1] & 0xFF;
            final boolean fin = (b0 & 0x80) != 0;
            final int opcode = b0 & 0x0F;
            final boolean masked = (b1 & 0x80) != 0;
            long payloadLength = b1 & 0x7F;
            int headerLength = 2;
            if (payloadLength == 126)
            {
                headerLength = 4;
                if (available < headerLength)
                {
                    break;
                }
                payloadLength = ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
            }
            else if (payloadLength == 127)
            {
                headerLength = 10;
                if (available < headerLength)
                {
                    break;
                }
                payloadLength = 0;
                for (int i = 2; i < 10; i++)
                {
                    payloadLength = (payloadLength << 8) | (bytes[offset + i] & 0xFF);
                }
            }
            if (masked)
            {
                headerLength += 4;
            }
            if (payloadLength < 0 || payloadLength > MAX_FRAME_BYTES)
            {
                protocolErrors++;
                onEnd(client, CLOSE_ABNORMAL, false);
                break;
            }
            final int frameLength = headerLength + (int)payloadLength;
            if (available < frameLength)
            {
                neededBytes = frameLength;
                break;
            }
            if (masked)
            {
                protocolErrors++;
            }
            else
            {
                onFrame(client, fin, opcode, offset + headerLength, (int)payloadLength);
            }
            offset += frameLength;
        }
        return offset;
    }

    /** Returns the offset after the HTTP head, 0 while incomplete, -1 when the upgrade failed. */
    private int parseHandshake(final BenchClient client, final int length)
    {
        final int end = AsciiCodec.indexOf(readBytes, 0, length, HEADER_END);
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
        final String head = new String(readBytes, 0, end, StandardCharsets.ISO_8859_1);
        final String statusLine = head.lines().findFirst().orElse("");
        if (!statusLine.startsWith("HTTP/1.1 101"))
        {
            fail(client, "upgrade refused: " + statusLine);
            return -1;
        }
        final String accept = header(head, "sec-websocket-accept");
        if (!client.expectedAccept.equals(accept))
        {
            fail(client, "bad Sec-WebSocket-Accept: " + accept);
            return -1;
        }
        client.state = BenchClient.STATE_AWAIT_SUBSCRIBED;
        return end + HEADER_END.length;
    }

    private void onFrame(final BenchClient client, final boolean fin, final int opcode, final int from, final int length)
    {
        switch (opcode)
        {
            case OPCODE_TEXT ->
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
            case OPCODE_CLOSE ->
            {
                final int code = length >= 2 ?
                    ((readBytes[from] & 0xFF) << 8) | (readBytes[from + 1] & 0xFF) : CLOSE_NO_STATUS;
                onEnd(client, code, true);
            }
            case OPCODE_PING -> writeControl(client, OPCODE_PONG, readBytes, from, Math.min(length, 125));
            case OPCODE_PONG ->
            {
            }
            case OPCODE_CONTINUATION -> protocolErrors++;
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
                onDelivery(client, id, AsciiCodec.skipDigits(bytes, idFrom, limit), limit);
                return;
            }
        }
        onControlMessage(client, new String(bytes, from, limit - from, StandardCharsets.UTF_8));
    }

    private void onDelivery(final BenchClient client, final long id, final int afterId, final int limit)
    {
        if (id > client.lastId)
        {
            client.lastId = id;
            client.inOrder++;
            deliveries++;
        }
        else if (id == client.lastId)
        {
            client.duplicates++;
            return;
        }
        else
        {
            client.outOfOrder++;
            return;
        }

        if (client.stalled)
        {
            return;
        }
        final long fromNs = measureFromNs;
        if (fromNs == Long.MAX_VALUE)
        {
            return;
        }
        if (nowNs - fromNs >= 0 && nowNs - measureUntilNs < 0)
        {
            receivedInWindow++;
        }
        final int dataAt = AsciiCodec.indexOf(readBytes, afterId, limit, DATA_FIELD);
        if (dataAt < 0)
        {
            return;
        }
        final long stampNs = AsciiCodec.parseLong(readBytes, dataAt + DATA_FIELD.length, limit);
        if (stampNs != AsciiCodec.NO_NUMBER && stampNs - fromNs >= 0)
        {
            measuredDeliveries++;
            final long latencyUs = Math.max(0, (nowNs - stampNs) / 1_000);
            histogram.recordValue(Math.min(latencyUs, histogram.getHighestTrackableValue()));
        }
    }

    /** Rare messages (subscribe reply, errors): parsed as text. */
    private void onControlMessage(final BenchClient client, final String text)
    {
        if (client.state == BenchClient.STATE_AWAIT_SUBSCRIBED && text.contains("\"type\":\"subscribed\""))
        {
            final long head = jsonNumber(text, "head");
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
            writeCloseFrame(client, code == CLOSE_NO_STATUS ? CLOSE_NORMAL : code);
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
                writeCloseFrame(client, CLOSE_NORMAL);
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
        writeControl(client, OPCODE_CLOSE, closePayload, 0, 2);
    }

    /** Best-effort write of a masked control frame whose payload is {@code source[from, from+length)}. */
    private void writeControl(
        final BenchClient client, final int opcode, final byte[] source, final int from, final int length)
    {
        final ByteBuffer frame = controlFrame;
        frame.clear();
        frame.put((byte)(0x80 | opcode)).put((byte)(0x80 | length)).put(maskKey);
        for (int i = 0; i < length; i++)
        {
            frame.put((byte)(source[from + i] ^ maskKey[i & 3]));
        }
        frame.flip();
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

    private static String header(final String head, final String lowerCaseName)
    {
        for (final String line : head.split("\r\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(lowerCaseName))
            {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static long jsonNumber(final String json, final String field)
    {
        final int at = json.indexOf("\"" + field + "\":");
        if (at < 0)
        {
            return -1;
        }
        final byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
        final long value = AsciiCodec.parseLong(bytes, at + field.length() + 3, bytes.length);
        return value == AsciiCodec.NO_NUMBER ? -1 : value;
    }

    /** Latencies in microseconds of deliveries stamped after the warm-up. */
    Histogram histogram()
    {
        return histogram;
    }

    List<BenchClient> clients()
    {
        return clients;
    }

    /** Deliveries whose stamp is at or after the measurement start. */
    long measuredDeliveries()
    {
        return measuredDeliveries;
    }

    /** In-order first deliveries received inside the measured window, whenever they were published. */
    long receivedInWindow()
    {
        return receivedInWindow;
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
