package io.ringcast.transport.websocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HandshakeAcceptTest
{
    @Test
    void shouldAnswerTheRfc6455SampleKey()
    {
        // RFC 6455 section 1.3.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HandshakeAccept.of("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void shouldGiveTheSameAnswersWhenReusedForManyKeys()
    {
        assertEquals("HSmrc0sMlYUkAGmm5OPpG2HaGWk=", HandshakeAccept.of("x3JJHMbDL1EzLkh9GBhXDw=="));
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HandshakeAccept.of("dGhlIHNhbXBsZSBub25jZQ=="));
        assertEquals("HSmrc0sMlYUkAGmm5OPpG2HaGWk=", HandshakeAccept.of("x3JJHMbDL1EzLkh9GBhXDw=="));
    }

    @Test
    void shouldRefuseKeysLongerThanAnyValidOne()
    {
        assertThrows(IllegalArgumentException.class, () -> HandshakeAccept.of("k".repeat(65)));
    }
}
