package io.ringcast.engine.pipeline;

import io.ringcast.transport.PublishReplier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class MessageEventTest
{
    @Test
    void shouldKeepAPublisherConnectionsReplierAndDropAPerRequestOneOnRelease()
    {
        final MessageEvent event = new MessageEvent();
        final PublishReplier connection = new Replier(true);
        event.replier = connection;
        event.release();
        assertSame(connection, event.replier, "kept: the next message from the same connection stores nothing");

        event.replier = new Replier(false);
        event.release();
        assertNull(event.replier, "a per-request replier is not kept alive by the slot");
    }

    private static final class Replier implements PublishReplier
    {
        private final boolean retainable;

        Replier(final boolean retainable)
        {
            this.retainable = retainable;
        }

        @Override
        public boolean reply(final int status, final long id)
        {
            return false;
        }

        @Override
        public void commit()
        {
        }

        @Override
        public boolean retainable()
        {
            return retainable;
        }
    }
}
