package io.ringcast.bench.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of RFC 6455 that every test and benchmark client shares: the upgrade request and its check, and
 * client frames (masked or, for hostile tests, not). Stateless; frames are written into the caller's array, so
 * nothing is allocated per frame. Server frames are read with {@link ServerFrameHeader}.
 */
public final class WebSocketCodec
{
    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_BINARY = 0x2;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xA;
    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_NO_STATUS = 1005;
    public static final int CLOSE_ABNORMAL = 1006;
    /** Longest client frame header: 2 bytes, a 64-bit length and the mask. */
    public static final int MAX_HEADER_BYTES = 14;

    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketCodec()
    {
    }

    /** A fresh random {@code Sec-WebSocket-Key}. */
    public static String newKey()
    {
        final byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code GET} upgrade request for {@code pathAndQuery} (e.g. {@code /ws?topics=a}). */
    public static byte[] upgradeRequest(final String hostAndPort, final String pathAndQuery, final String key)
    {
        return ("GET " + pathAndQuery + " HTTP/1.1\r\n" +
            "Host: " + hostAndPort + "\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + key + "\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer to {@code key}. */
    public static String acceptFor(final String key)
    {
        try
        {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(
                sha1.digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 unavailable", ex);
        }
    }

    /**
     * Why the HTTP answer {@code head} (status line and headers, without the blank line) does not accept the upgrade
     * asked with {@code key}, or null when it does.
     */
    public static String upgradeProblem(final String head, final String key)
    {
        final String statusLine = head.lines().findFirst().orElse("");
        if (!statusLine.startsWith("HTTP/1.1 101"))
        {
            return "upgrade refused: " + statusLine;
        }
        final String accept = header(head, "sec-websocket-accept");
        if (!acceptFor(key).equals(accept))
        {
            return "bad Sec-WebSocket-Accept: " + accept;
        }
        return null;
    }

    /** The value of header {@code lowerCaseName} in an HTTP head, or null. */
    public static String header(final String head, final String lowerCaseName)
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

    /** Index just past the {@code \r\n\r\n} that ends an HTTP head in {@code bytes[0, length)}, or -1. */
    public static int endOfHead(final byte[] bytes, final int length)
    {
        for (int i = 3; i < length; i++)
        {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r')
            {
                return i + 1;
            }
        }
        return -1;
    }

    /** The code in a close frame's payload, {@value #CLOSE_NO_STATUS} when it has none. */
    public static int closeCode(final byte[] payload, final int offset, final int length)
    {
        return length >= 2 ? ((payload[offset] & 0xFF) << 8) | (payload[offset + 1] & 0xFF) : CLOSE_NO_STATUS;
    }

    /**
     * Write one client frame into {@code dst} at {@code at}: header, then {@code src[offset, offset+length)} masked
     * with {@code mask} when {@code masked} (a client must; hostile tests send unmasked ones).
     *
     * @return the frame's length; {@code dst} needs {@code length + }{@value #MAX_HEADER_BYTES} bytes from {@code at}.
     */
    public static int encodeFrame(
        final byte[] dst, final int at, final int opcodeAndFlags, final boolean fin, final boolean masked, final int mask,
        final byte[] src, final int offset, final int length)
    {
        int i = at;
        dst[i++] = (byte)((fin ? 0x80 : 0) | opcodeAndFlags);
        final int maskBit = masked ? 0x80 : 0;
        if (length < 126)
        {
            dst[i++] = (byte)(maskBit | length);
        }
        else if (length <= 0xFFFF)
        {
            dst[i++] = (byte)(maskBit | 126);
            dst[i++] = (byte)(length >>> 8);
            dst[i++] = (byte)length;
        }
        else
        {
            dst[i++] = (byte)(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                dst[i++] = (byte)((long)length >>> shift);
            }
        }
        if (!masked)
        {
            System.arraycopy(src, offset, dst, i, length);
            return i + length - at;
        }
        final int maskAt = i;
        dst[i++] = (byte)(mask >>> 24);
        dst[i++] = (byte)(mask >>> 16);
        dst[i++] = (byte)(mask >>> 8);
        dst[i++] = (byte)mask;
        for (int j = 0; j < length; j++)
        {
            dst[i++] = (byte)(src[offset + j] ^ dst[maskAt + (j & 3)]);
        }
        return i - at;
    }
}
