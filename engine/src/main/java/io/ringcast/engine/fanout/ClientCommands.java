package io.ringcast.engine.fanout;

import io.ringcast.engine.metrics.EngineCounters;
import io.ringcast.transport.ClientRequest;
import io.ringcast.transport.Subscriber;
import io.ringcast.transport.log.RateLimitedLog;
import io.ringcast.transport.codec.JsonText;
import io.ringcast.transport.websocket.FrameEncoder;
import io.ringcast.transport.websocket.WebSocketFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Applies client commands (subscribe, unsubscribe, join, leave) in ring order and answers each with its control
 * reply; a client whose buffer has no room for the reply is closed with 4001. Fan-out thread; slow path (it builds
 * strings).
 */
final class ClientCommands
{
    private static final Logger LOG = LoggerFactory.getLogger(ClientCommands.class);

    private final Subscriptions subscriptions;
    private final ReplayCoordinator replays;
    private final FanoutBatch batch;
    private final EngineCounters counters;
    private final LongSupplier oldestId;
    private final String epoch;
    private final String quotedEpoch;
    private final FrameEncoder replyEncoder = new FrameEncoder();
    private final RateLimitedLog noRoomLog = new RateLimitedLog(
        "clients closed with 4001 (no room in the send buffer for a reply)", RateLimitedLog.DEFAULT_INTERVAL_NS, LOG::warn);

    ClientCommands(
        final Subscriptions subscriptions,
        final ReplayCoordinator replays,
        final FanoutBatch batch,
        final EngineCounters counters,
        final LongSupplier oldestId,
        final String epoch)
    {
        this.subscriptions = subscriptions;
        this.replays = replays;
        this.batch = batch;
        this.counters = counters;
        this.oldestId = oldestId;
        this.epoch = epoch;
        this.quotedEpoch = JsonText.quote(epoch);
    }

    /** Apply {@code request} of {@code session}; {@code head} is the newest id the fan-out has handled. */
    void apply(final Subscriber session, final ClientRequest request, final long head)
    {
        if (session.isCloseRequested())
        {
            return;
        }
        switch (request.op())
        {
            case SUBSCRIBE:
            {
                final List<String> fresh = new ArrayList<>(request.topics().size());
                for (final String topic : request.topics())
                {
                    if (subscribe(session, subscriptions.getOrCreate(false, topic), head))
                    {
                        fresh.add(topic);
                    }
                }
                final String reply = "{\"type\":\"subscribed\",\"topics\":" + jsonArray(request.topics()) +
                    ",\"head\":" + head + ",\"epoch\":" + quotedEpoch;
                resume(session, request, reply, fresh, false, head);
                break;
            }
            case UNSUBSCRIBE:
            {
                for (final String topic : request.topics())
                {
                    subscriptions.remove(session, false, topic);
                }
                reply(session, "{\"type\":\"unsubscribed\",\"topics\":" + jsonArray(request.topics()) + "}");
                break;
            }
            case JOIN:
            {
                final boolean fresh = subscribe(session, subscriptions.getOrCreate(true, request.group()), head);
                final String reply = "{\"type\":\"joined\",\"group\":" + JsonText.quote(request.group()) +
                    ",\"head\":" + head + ",\"epoch\":" + quotedEpoch;
                resume(session, request, reply, fresh ? List.of(request.group()) : List.of(), true, head);
                break;
            }
            case LEAVE:
            {
                subscriptions.remove(session, true, request.group());
                reply(session, "{\"type\":\"left\",\"group\":" + JsonText.quote(request.group()) + "}");
                break;
            }
            case ACK:
                break;
            case INVALID:
            default:
                reply(session, "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":" +
                    JsonText.quote(request.error()) + "}");
                break;
        }
    }

    private boolean subscribe(final Subscriber session, final Channel channel, final long head)
    {
        if (subscriptions.add(session, channel))
        {
            replays.subscribed(session, channel, head);
            return true;
        }
        return false;
    }

    /**
     * Answer a subscribe or join ({@code reply} is the answer without its closing brace) and, when it asked to
     * resume, replay {@code (from, head]} of the channels it did not already receive.
     */
    private void resume(
        final Subscriber session,
        final ClientRequest request,
        final String reply,
        final List<String> fresh,
        final boolean group,
        final long head)
    {
        final long from = request.from();
        if (from == ClientRequest.NO_FROM)
        {
            reply(session, reply + "}");
            return;
        }
        final long oldest = oldestId.getAsLong();
        final boolean epochMatches = request.epoch() == null || request.epoch().equals(epoch);
        if (!epochMatches || from > head || from + 1 < oldest)
        {
            reply(session, reply + ",\"recovered\":false,\"oldest\":" + oldest + "}");
            return;
        }
        final String recovered = reply + ",\"recovered\":true}";
        if (from >= head || fresh.isEmpty())
        {
            reply(session, recovered);
            return;
        }
        replays.startResume(session, recovered, fresh, group, from, head);
    }

    private void reply(final Subscriber session, final String json)
    {
        final int length = replyEncoder.encodeText(json);
        if (!batch.offer(session, replyEncoder.buffer(), replyEncoder.frameOffset(), length))
        {
            closeSlowClient(session);
        }
    }

    private void closeSlowClient(final Subscriber session)
    {
        counters.noRoomCloses.increment();
        noRoomLog.record(System.nanoTime(), session);
        subscriptions.removeEverywhere(session);
        replays.remove(session);
        session.close(WebSocketFrames.CLOSE_SLOW_CLIENT, "send buffer full; resume by id");
    }

    private static String jsonArray(final List<String> names)
    {
        final StringBuilder sb = new StringBuilder().append('[');
        for (int i = 0; i < names.size(); i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append('"').append(names.get(i)).append('"');
        }
        return sb.append(']').toString();
    }
}
