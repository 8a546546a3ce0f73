package io.ringcast.transport;

import java.util.List;

/**
 * One parsed client operation (or the reason it was refused). Immutable; created on an I/O thread and handed to
 * the fan-out thread through the ring.
 */
public final class ClientRequest
{
    /** What the client asked for. */
    public enum Op
    {
        SUBSCRIBE, UNSUBSCRIBE, JOIN, LEAVE, ACK, INVALID
    }

    /** {@link #from()} when the client did not ask to resume. */
    public static final long NO_FROM = -1;

    private final Op op;
    private final List<String> topics;
    private final String group;
    private final long from;
    private final String epoch;
    private final long ackId;
    private final String error;

    private ClientRequest(
        final Op op,
        final List<String> topics,
        final String group,
        final long from,
        final String epoch,
        final long ackId,
        final String error)
    {
        this.op = op;
        this.topics = topics;
        this.group = group;
        this.from = from;
        this.epoch = epoch;
        this.ackId = ackId;
        this.error = error;
    }

    public static ClientRequest subscribe(final List<String> topics, final long from, final String epoch)
    {
        return new ClientRequest(Op.SUBSCRIBE, List.copyOf(topics), null, from, epoch, 0, null);
    }

    public static ClientRequest unsubscribe(final List<String> topics)
    {
        return new ClientRequest(Op.UNSUBSCRIBE, List.copyOf(topics), null, NO_FROM, null, 0, null);
    }

    public static ClientRequest join(final String group, final long from, final String epoch)
    {
        return new ClientRequest(Op.JOIN, List.of(), group, from, epoch, 0, null);
    }

    public static ClientRequest leave(final String group)
    {
        return new ClientRequest(Op.LEAVE, List.of(), group, NO_FROM, null, 0, null);
    }

    public static ClientRequest ack(final long id)
    {
        return new ClientRequest(Op.ACK, List.of(), null, NO_FROM, null, id, null);
    }

    public static ClientRequest invalid(final String error)
    {
        return new ClientRequest(Op.INVALID, List.of(), null, NO_FROM, null, 0, error);
    }

    public Op op()
    {
        return op;
    }

    /** Topics of a subscribe or unsubscribe, without duplicates, in the order given. */
    public List<String> topics()
    {
        return topics;
    }

    public String group()
    {
        return group;
    }

    /** The id to resume after, or {@link #NO_FROM}. */
    public long from()
    {
        return from;
    }

    /** The epoch the client's ids came from, or null. */
    public String epoch()
    {
        return epoch;
    }

    public long ackId()
    {
        return ackId;
    }

    /** Why the request was refused, for {@link Op#INVALID}. */
    public String error()
    {
        return error;
    }

    @Override
    public String toString()
    {
        return op == Op.INVALID ? "INVALID(" + error + ")" :
            op + (topics.isEmpty() ? "" : topics.toString()) + (group == null ? "" : " group=" + group) +
            (from == NO_FROM ? "" : " from=" + from);
    }
}
