package io.ringcast.engine.pipeline;

/** Dense ids from a local counter that starts after the last journaled id. Journal thread only. */
public final class LocalSequencer implements Sequencer
{
    private long lastId;

    public LocalSequencer(final long lastJournaledId)
    {
        this.lastId = lastJournaledId;
    }

    @Override
    public long nextId()
    {
        return ++lastId;
    }

    @Override
    public long lastId()
    {
        return lastId;
    }

    @Override
    public void rollback()
    {
        lastId--;
    }
}
