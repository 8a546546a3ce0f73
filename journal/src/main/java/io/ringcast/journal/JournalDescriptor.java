package io.ringcast.journal;

/**
 * Layout of one journal entry, written as the raw bytes of a Chronicle Queue document.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       id (int64, dense)                       |
 *  |                                                               |
 *  +---------------+-------------------------------+---------------+
 *  |     flags     |       target length (u16)     |  target ...   |
 *  +---------------+-------------------------------+---------------+
 *  |                 payload length (int32)                        |
 *  +---------------------------------------------------------------+
 *  |                         payload ...                           |
 *  +---------------------------------------------------------------+
 * </pre>
 * Chronicle's own index ({@code cycle << 32 | sequence}) jumps at every roll, so the dense Ringcast
 * id is stored in each entry and is the only id the outside world ever sees.
 */
public final class JournalDescriptor
{
    /** Payload is JSON, embedded as is. Same bit as the ingest protocol. */
    public static final byte FLAG_JSON = 0x01;
    /** Target is a group rather than a topic. Same bit as the ingest protocol. */
    public static final byte FLAG_GROUP = 0x02;

    public static final int ID_OFFSET = 0;
    public static final int FLAGS_OFFSET = 8;
    public static final int TARGET_LENGTH_OFFSET = 9;
    public static final int TARGET_OFFSET = 11;

    private JournalDescriptor()
    {
    }

    public static int payloadLengthOffset(final int targetLength)
    {
        return TARGET_OFFSET + targetLength;
    }

    public static int payloadOffset(final int targetLength)
    {
        return TARGET_OFFSET + targetLength + 4;
    }
}
