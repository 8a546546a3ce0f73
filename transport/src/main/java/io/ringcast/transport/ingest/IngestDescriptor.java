package io.ringcast.transport.ingest;

/**
 * The binary ingest protocol, big-endian.
 * <pre>
 * Publisher to node, one frame per message:
 *  +---------------------------------------------------------------+
 *  |            length (u32): bytes after this field, >= 3         |
 *  +---------------+-------------------------------+---------------+
 *  |  flags (u8)   |      target length (u16)      |  target ...   |
 *  +---------------+-------------------------------+---------------+
 *  |                      payload ... (the rest)                   |
 *  +---------------------------------------------------------------+
 *  flags: bit0 payload is JSON, bit1 target is a group, other bits 0.
 *
 * Node to publisher, one reply per frame, in frame order, after the message is journaled:
 *  +---------------+-----------------------------------------------+
 *  |  status (u8)  |       id (u64), 0 unless status is 0          |
 *  +---------------+-----------------------------------------------+
 * </pre>
 */
public final class IngestDescriptor
{
    public static final int LENGTH_FIELD_BYTES = 4;
    public static final int FLAGS_OFFSET = 0;
    public static final int TARGET_LENGTH_OFFSET = 1;
    public static final int TARGET_OFFSET = 3;
    public static final int MIN_FRAME_LENGTH = 3;
    /** A frame may exceed the payload limit by this much and still be answered (with status 2) rather than closed. */
    public static final int FRAME_SLACK_BYTES = 64 * 1024;
    public static final int REPLY_BYTES = 9;

    private IngestDescriptor()
    {
    }

    public static long maxFrameLength(final int maxPayloadBytes)
    {
        return (long)maxPayloadBytes + FRAME_SLACK_BYTES;
    }
}
