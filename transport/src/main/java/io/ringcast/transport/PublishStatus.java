package io.ringcast.transport;

/** Outcome of a publish, as sent on the ingest port (and mapped to HTTP statuses). */
public final class PublishStatus
{
    public static final int OK = 0;
    /** Missing, empty or invalid topic/group name. */
    public static final int BAD_TARGET = 1;
    /** Payload larger than --max-payload. */
    public static final int PAYLOAD_TOO_LARGE = 2;
    /** Invalid JSON (JSON flag set) or invalid UTF-8. */
    public static final int BAD_PAYLOAD = 3;
    /** Shutting down, or the journal is not writable. */
    public static final int UNAVAILABLE = 4;
    /** Unknown flag bits, or a target length beyond the frame. */
    public static final int BAD_FRAME = 5;

    private PublishStatus()
    {
    }

    public static String code(final int status)
    {
        switch (status)
        {
            case OK: return "ok";
            case BAD_TARGET: return "bad_target";
            case PAYLOAD_TOO_LARGE: return "payload_too_large";
            case BAD_PAYLOAD: return "bad_payload";
            case UNAVAILABLE: return "unavailable";
            case BAD_FRAME: return "bad_frame";
            default: return "unknown";
        }
    }
}
