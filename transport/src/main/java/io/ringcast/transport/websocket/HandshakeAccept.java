package io.ringcast.transport.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code Sec-WebSocket-Accept} value of an opening handshake (RFC 6455 4.2.2): base64 of the SHA-1 of the
 * client's key followed by the protocol's GUID. One per I/O thread, reused for every handshake on it, so that a burst
 * of connections makes no digest, provider lookup or intermediate array each: only the returned string.
 */
final class HandshakeAccept
{
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    /** A client's key is 24 characters (16 random bytes in base64); anything much longer is not a valid key. */
    static final int MAX_KEY_CHARS = 64;
    private static final ThreadLocal<HandshakeAccept> PER_THREAD = ThreadLocal.withInitial(HandshakeAccept::new);

    private final MessageDigest sha1;
    private final byte[] input = new byte[MAX_KEY_CHARS + GUID.length];
    private final byte[] digest = new byte[20];
    private final byte[] encoded = new byte[28];

    private HandshakeAccept()
    {
        try
        {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JVM has no SHA-1, which RFC 6455 requires", ex);
        }
    }

    /** The accept value for {@code key} (trimmed, at most {@link #MAX_KEY_CHARS} ASCII characters). */
    static String of(final String key)
    {
        return PER_THREAD.get().compute(key);
    }

    private String compute(final String key)
    {
        final int length = key.length();
        if (length > MAX_KEY_CHARS)
        {
            throw new IllegalArgumentException("Sec-WebSocket-Key is longer than " + MAX_KEY_CHARS + " characters");
        }
        for (int i = 0; i < length; i++)
        {
            input[i] = (byte)key.charAt(i);
        }
        System.arraycopy(GUID, 0, input, length, GUID.length);
        sha1.update(input, 0, length + GUID.length);
        try
        {
            sha1.digest(digest, 0, digest.length);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        Base64.getEncoder().encode(digest, encoded);
        return new String(encoded, StandardCharsets.US_ASCII);
    }
}
