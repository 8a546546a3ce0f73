package io.ringcast.transport.websocket;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 frame layout, server side (frames we send are never masked).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Masking-key (32), only client to server, then payload ...  |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class WebSocketFrames
{
    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_BINARY = 0x2;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xA;

    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_GOING_AWAY = 1001;
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    public static final int CLOSE_NO_STATUS = 1005;
    public static final int CLOSE_INVALID_DATA = 1007;
    public static final int CLOSE_TOO_BIG = 1009;
    /** Ringcast: the client fell too far behind or stopped reading. */
    public static final int CLOSE_SLOW_CLIENT = 4001;
    /** Ringcast: a message's third redelivery timed out in ack mode. */
    public static final int CLOSE_ACK_TIMEOUT = 4008;

    private WebSocketFrames()
    {
    }

    public static int headerLength(final int bodyLength)
    {
        return bodyLength < 126 ? 2 : bodyLength <= 0xFFFF ? 4 : 10;
    }

    public static void putHeader(final MutableDirectBuffer buffer, final int offset, final int opcode, final int bodyLength)
    {
        buffer.putByte(offset, (byte)(0x80 | opcode));
        if (bodyLength < 126)
        {
            buffer.putByte(offset + 1, (byte)bodyLength);
        }
        else if (bodyLength <= 0xFFFF)
        {
            buffer.putByte(offset + 1, (byte)126);
            buffer.putByte(offset + 2, (byte)(bodyLength >>> 8));
            buffer.putByte(offset + 3, (byte)bodyLength);
        }
        else
        {
            buffer.putByte(offset + 1, (byte)127);
            buffer.putLong(offset + 2, bodyLength, java.nio.ByteOrder.BIG_ENDIAN);
        }
    }

    /** A close frame with a status code and a short reason (slow path). */
    public static ByteBuffer closeFrame(final int code, final String reason)
    {
        final byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        final int bodyLength = Math.min(2 + text.length, 125);
        final ByteBuffer frame = ByteBuffer.allocate(2 + bodyLength);
        frame.put((byte)(0x80 | OPCODE_CLOSE)).put((byte)bodyLength).putShort((short)code);
        frame.put(text, 0, bodyLength - 2);
        return frame.flip();
    }

    /** A control frame (pong) echoing {@code body}, at most 125 bytes. */
    public static ByteBuffer controlFrame(final int opcode, final byte[] body, final int length)
    {
        final ByteBuffer frame = ByteBuffer.allocate(2 + length);
        frame.put((byte)(0x80 | opcode)).put((byte)length).put(body, 0, length);
        return frame.flip();
    }
}
