package io.ringcast.engine.pipeline;

/**
 * Assigns the global id of each accepted message. The one seam for running several nodes: a clustered
 * implementation would take ids from a replicated log instead of a local counter.
 * Called only by the journal thread.
 */
public interface Sequencer
{
    /** The id for the next accepted message. */
    long nextId();

    /** The last id handed out and journaled (0 when none). */
    long lastId();

    /** The id returned by the last {@link #nextId()} was not journaled: hand it out again. */
    void rollback();
}
