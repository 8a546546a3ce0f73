package io.ringcast.bench.baseline;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import org.xnio.Options;
import sun.misc.Signal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The comparison server of the benchmark suite: the seed article's hub design, on the same Undertow as Ringcast.
 * <p>
 * One {@link Hub} (a client map behind a lock) fans every message out by offering the same {@code String} to each
 * subscriber's bounded queue of {@value Hub#DEFAULT_QUEUE_MESSAGES} messages; each {@link HubClient} drains its queue
 * with {@code WebSockets.sendText} one message at a time, so Undertow frames and allocates per message per client; a
 * client whose queue is full is dropped. Publishers use the binary ingest protocol of Ringcast ({@link HubIngestServer}),
 * with dense ids from 1 and no journal.
 * <p>
 * It speaks the subset of the Ringcast contract the load generator needs: {@code GET /ws?topics=a,b} subscribes and
 * first sends {@code {"type":"subscribed","topics":[...],"head":N,"epoch":"baseline"}}, then each message as
 * {@code {"id":N,"topic":"T","data":...}}; client frames are read and ignored. It prints the same
 * {@code ringcast: http|ingest listening on ADDRESS:PORT} lines as a node and exits 0 on SIGTERM.
 * <p>
 * Flags: {@code --http-port} (8080), {@code --http-bind} (0.0.0.0), {@code --ingest-port} (9090),
 * {@code --ingest-bind} (127.0.0.1), {@code --queue} messages per client (256), {@code --io-threads} (2, as a node).
 */
public final class HubServer
{
    private HubServer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> flags = new HashMap<>(Map.of(
            "--http-port", "8080", "--http-bind", "0.0.0.0", "--ingest-port", "9090", "--ingest-bind", "127.0.0.1",
            "--queue", Integer.toString(Hub.DEFAULT_QUEUE_MESSAGES), "--io-threads", "2"));
        for (int i = 0; i < args.length; i += 2)
        {
            if (!flags.containsKey(args[i]) || i + 1 >= args.length)
            {
                System.err.println("HubServer: unknown flag or missing value: " + args[i]);
                System.exit(2);
            }
            flags.put(args[i], args[i + 1]);
        }
        final int queueMessages = Integer.parseInt(flags.get("--queue"));
        final Hub hub = new Hub(queueMessages);

        final Undertow undertow = Undertow.builder()
            .addHttpListener(Integer.parseInt(flags.get("--http-port")), flags.get("--http-bind"))
            .setIoThreads(Integer.parseInt(flags.get("--io-threads")))
            .setWorkerThreads(2)
            .setSocketOption(Options.TCP_NODELAY, true)
            .setSocketOption(Options.BACKLOG, 4096)
            .setHandler(Handlers.path().addExactPath("/ws", Handlers.websocket(new Subscriber(hub))))
            .build();
        undertow.start();
        final HubIngestServer ingest = new HubIngestServer(
            new InetSocketAddress(flags.get("--ingest-bind"), Integer.parseInt(flags.get("--ingest-port"))), hub);
        ingest.start();

        final CountDownLatch stopped = new CountDownLatch(1);
        final sun.misc.SignalHandler onStop = signal -> new Thread(() ->
        {
            ingest.close();
            hub.closeAll();
            undertow.stop();
            stopped.countDown();
            System.exit(0);
        }, "hub-stop").start();
        Signal.handle(new Signal("TERM"), onStop);
        Signal.handle(new Signal("INT"), onStop);

        final InetSocketAddress http = (InetSocketAddress)undertow.getListenerInfo().get(0).getAddress();
        System.out.println("ringcast: http listening on " + flags.get("--http-bind") + ":" + http.getPort());
        System.out.println("ringcast: ingest listening on " + flags.get("--ingest-bind") + ":" + ingest.localPort());
        System.out.flush();
        stopped.await();
    }

    /** The WebSocket endpoint: registers each upgraded connection with the hub for its {@code topics=} query. */
    private static final class Subscriber implements WebSocketConnectionCallback
    {
        private final Hub hub;

        Subscriber(final Hub hub)
        {
            this.hub = hub;
        }

        @Override
        public void onConnect(final WebSocketHttpExchange exchange, final WebSocketChannel channel)
        {
            final List<String> topics = new ArrayList<>();
            final List<String> values = exchange.getRequestParameters().get("topics");
            if (values != null)
            {
                for (final String value : values)
                {
                    for (final String topic : value.split(","))
                    {
                        if (!topic.isEmpty())
                        {
                            topics.add(topic);
                        }
                    }
                }
            }
            final HubClient client = new HubClient(channel, hub.queueMessages());
            channel.addCloseTask(closed -> hub.remove(client));
            channel.getReceiveSetter().set(new AbstractReceiveListener()
            {
                // client text frames are not part of the baseline: read and ignored
            });
            channel.resumeReceives();
            hub.add(client, topics);
        }
    }
}
