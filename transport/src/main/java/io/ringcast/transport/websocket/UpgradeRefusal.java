package io.ringcast.transport.websocket;

/**
 * Why a request to {@code /ws} is not a WebSocket upgrade this server takes (RFC 6455 4.2.1), typed by the HTTP
 * status it is answered with: {@value #UPGRADE_REQUIRED} (with {@code Sec-WebSocket-Version: 13}) for a version we
 * do not speak, {@value #BAD_REQUEST} for anything else. Immutable.
 *
 * @param status {@link #BAD_REQUEST} or {@link #UPGRADE_REQUIRED}.
 * @param message for the client, in the {@code "message"} of the error body.
 */
record UpgradeRefusal(int status, String message)
{
    static final int BAD_REQUEST = 400;
    static final int UPGRADE_REQUIRED = 426;

    /**
     * @param method the request method.
     * @param upgrade the {@code Upgrade} header, or null.
     * @param key the {@code Sec-WebSocket-Key} header, or null.
     * @param version the {@code Sec-WebSocket-Version} header, or null.
     * @return null when the upgrade can be taken.
     */
    static UpgradeRefusal check(final String method, final String upgrade, final String key, final String version)
    {
        if (!"GET".equals(method))
        {
            return new UpgradeRefusal(BAD_REQUEST, "a WebSocket upgrade is a GET request");
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket"))
        {
            return new UpgradeRefusal(BAD_REQUEST, "this path takes WebSocket upgrades only (Upgrade: websocket)");
        }
        if (key == null || key.isBlank())
        {
            return new UpgradeRefusal(BAD_REQUEST, "missing Sec-WebSocket-Key");
        }
        if (key.trim().length() > HandshakeAccept.MAX_KEY_CHARS)
        {
            return new UpgradeRefusal(
                BAD_REQUEST, "Sec-WebSocket-Key is longer than " + HandshakeAccept.MAX_KEY_CHARS + " characters");
        }
        // 13 is RFC 6455; the hybi-07/08 handshakes are completed too, their framing is the same.
        if (!"13".equals(version) && !"8".equals(version) && !"7".equals(version))
        {
            return new UpgradeRefusal(
                UPGRADE_REQUIRED, "unsupported Sec-WebSocket-Version " + version + "; this server speaks 13");
        }
        return null;
    }
}
