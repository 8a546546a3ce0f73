package io.ringcast.transport.websocket;

/**
 * A request to close a client: its code and reason, set together by one compare-and-set of a reference (see
 * {@link ClientSession#close}), so the I/O thread never sees a code without its reason. Immutable.
 */
final class CloseRequest
{
    final int code;
    /** Never null (an absent reason is empty). */
    final String reason;

    CloseRequest(final int code, final String reason)
    {
        this.code = code;
        this.reason = reason == null ? "" : reason;
    }

    @Override
    public String toString()
    {
        return code + " (" + reason + ")";
    }
}
