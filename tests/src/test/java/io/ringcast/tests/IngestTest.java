package io.ringcast.tests;

import io.ringcast.journal.JournalEntry;
import io.ringcast.journal.JournalReader;
import io.ringcast.transport.PublishStatus;
import io.ringcast.transport.client.IngestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class IngestTest
{
    private static final int MAX_PAYLOAD = 1024;

    @TempDir
    Path dir;
    TestNode node;

    @BeforeEach
    void start()
    {
        node = TestNode.start(dir.resolve("journal"), "--max-payload", MAX_PAYLOAD + "");
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    static byte[] frame(final int flags, final String target, final byte[] payload)
    {
        final byte[] t = target.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer b = ByteBuffer.allocate(4 + 3 + t.length + payload.length);
        b.putInt(3 + t.length + payload.length).put((byte)flags).putShort((short)t.length).put(t).put(payload);
        return b.array();
    }

    static byte[] text(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldAnswerPipelinedFramesInOrderWithDenseIdsFromOne() throws Exception
    {
        try (IngestClient client = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            final int count = 20_000;
            for (int i = 0; i < count; i++)
            {
                client.send("topic-" + (i % 7), 0, text("payload " + i));
            }
            client.flush();
            for (int i = 1; i <= count; i++)
            {
                final long reply = client.readReply();
                assertEquals(PublishStatus.OK, IngestClient.status(reply));
                assertEquals(i, IngestClient.id(reply));
            }
        }
    }

    @Test
    void shouldReplyOnlyOnceTheMessageIsInTheJournal() throws Exception
    {
        try (IngestClient client = IngestClient.connect("127.0.0.1", node.ingestPort());
             JournalReader reader = node.node.journal().newReader())
        {
            final JournalEntry entry = new JournalEntry();
            for (int i = 1; i <= 50; i++)
            {
                final long id = client.publish("j", i % 2 == 0 ? IngestClient.FLAG_JSON : 0, text("[" + i + "]"));
                // The reply is there: the entry must be readable from the journal right now, without waiting.
                assertTrue(reader.read(entry), "entry " + id + " journaled before its reply");
                assertEquals(id, entry.id());
                assertEquals("j", entry.targetAsString());
                assertArrayEquals(text("[" + i + "]"), entry.payloadBytes());
                assertEquals(i % 2 == 0, entry.isJson());
            }
        }
    }

    @Test
    void shouldDecodeFramesSplitAtEveryByteBoundary() throws Exception
    {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final int frames = 30;
        for (int i = 0; i < frames; i++)
        {
            stream.write(frame(i % 2, "split", text(i % 2 == 1 ? "{\"n\":" + i + "}" : "text " + i)));
        }
        final byte[] bytes = stream.toByteArray();
        try (WsClient ws = WsClient.connect(node.wsUrl("topics=split"));
             IngestClient client = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            ws.next();
            final Random random = new Random(42);
            int position = 0;
            int answered = 0;
            while (position < bytes.length)
            {
                // 1-byte writes for the first frames, then random split points.
                final int chunk = position < 60 ? 1 : 1 + random.nextInt(17);
                final int end = Math.min(bytes.length, position + chunk);
                client.sendBytes(java.util.Arrays.copyOfRange(bytes, position, end));
                position = end;
                if (position == 60)
                {
                    // Every complete frame so far is answered even though the next one is incomplete.
                    final int complete = completeFrames(bytes, 60);
                    for (; answered < complete; answered++)
                    {
                        assertEquals(answered + 1, IngestClient.id(client.readReply()));
                    }
                }
            }
            for (; answered < frames; answered++)
            {
                assertEquals(answered + 1, IngestClient.id(client.readReply()));
            }
            for (int i = 0; i < frames; i++)
            {
                final Map<String, Object> m = ws.next();
                assertEquals(i + 1L, WsClient.id(m));
                if (i % 2 == 0)
                {
                    assertEquals("text " + i, m.get("data"));
                }
                else
                {
                    assertEquals(Map.of("n", new java.math.BigDecimal(i)), m.get("data"));
                }
            }
        }
    }

    private static int completeFrames(final byte[] bytes, final int length)
    {
        int count = 0;
        int position = 0;
        while (position + 4 <= length)
        {
            final int frameLength = ByteBuffer.wrap(bytes, position, 4).getInt();
            if (position + 4 + frameLength > length)
            {
                break;
            }
            position += 4 + frameLength;
            count++;
        }
        return count;
    }

    @Test
    void shouldRefuseBadFramesWithTheirStatusWithoutUsingIdsOrClosing() throws Exception
    {
        try (IngestClient client = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            final byte[] tooLarge = new byte[MAX_PAYLOAD + 1];
            java.util.Arrays.fill(tooLarge, (byte)'a');
            final byte[][] frames = {
                frame(0, "ok", text("first")),                      // 0 -> id 1
                frame(0, "bad topic!", text("x")),                  // 1 bad target
                frame(0, "", text("x")),                            // 1 empty target
                frame(0, "a".repeat(256), text("x")),               // 1 name too long
                frame(0, "ok", tooLarge),                           // 2 payload too large
                frame(1, "ok", text("{not json")),                  // 3 invalid JSON
                frame(0, "ok", new byte[]{(byte)0xC3, 0x28}),       // 3 invalid UTF-8
                frame(4, "ok", text("x")),                          // 5 unknown flag bit
                badTargetLengthFrame(),                             // 5 target beyond frame
                frame(4 | 1, "bad topic!", text("{")),              // 5 wins over 1 and 3
                frame(1, "bad topic!", text("{")),                  // 1 wins over 3
                frame(1, "ok", jsonTooLarge()),                     // 2 wins over 3
                frame(0, "ok", text("second")),                     // 0 -> id 2
            };
            final int[] expected = {0, 1, 1, 1, 2, 3, 3, 5, 5, 5, 1, 2, 0};
            for (final byte[] f : frames)
            {
                client.sendBytes(f);
            }
            for (int i = 0; i < expected.length; i++)
            {
                final long reply = client.readReply();
                assertEquals(expected[i], IngestClient.status(reply), "frame " + i);
                assertEquals(i == 0 ? 1 : i == expected.length - 1 ? 2 : 0, IngestClient.id(reply), "frame " + i);
            }
            assertEquals(3, client.publish("ok", 0, text("third")), "the connection stays usable");
        }
    }

    private static byte[] badTargetLengthFrame()
    {
        final ByteBuffer b = ByteBuffer.allocate(4 + 3 + 2);
        b.putInt(5).put((byte)0).putShort((short)10).put((byte)'a').put((byte)'b');
        return b.array();
    }

    private static byte[] jsonTooLarge()
    {
        final byte[] b = new byte[MAX_PAYLOAD + 10];
        java.util.Arrays.fill(b, (byte)'{');
        return b;
    }

    @Test
    void shouldCloseOnBadLengthAfterAnsweringEarlierFrames() throws Exception
    {
        for (final int badLength : new int[]{2, MAX_PAYLOAD + 64 * 1024 + 1, -1})
        {
            try (IngestClient client = IngestClient.connect("127.0.0.1", node.ingestPort()))
            {
                final long before = node.node.head();
                final ByteArrayOutputStream stream = new ByteArrayOutputStream();
                stream.write(frame(0, "len", text("a")));
                stream.write(frame(0, "len", text("b")));
                stream.write(ByteBuffer.allocate(4).putInt(badLength).array());
                stream.write(text("garbage after the bad length"));
                client.sendBytes(stream.toByteArray());
                assertEquals(before + 1, IngestClient.id(client.readReply()));
                assertEquals(before + 2, IngestClient.id(client.readReply()));
                assertThrows(EOFException.class, client::readReply, "closed after a length of " + badLength);
            }
        }
        try (IngestClient client = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            assertTrue(client.publish("len", 0, text("node still fine")) > 0);
        }
    }

    @Test
    void shouldAcceptAPayloadOfExactlyTheLimit() throws Exception
    {
        try (IngestClient client = IngestClient.connect("127.0.0.1", node.ingestPort()))
        {
            final byte[] payload = new byte[MAX_PAYLOAD];
            java.util.Arrays.fill(payload, (byte)'z');
            assertEquals(1, client.publish("limit", 0, payload));
        }
    }
}
