package io.ringcast.engine.pipeline;

import java.util.concurrent.ThreadFactory;

/** Names the Disruptor's threads in the order their handlers are started: the journal, then the fan-out. */
public final class PipelineThreads implements ThreadFactory
{
    private int count;

    @Override
    public synchronized Thread newThread(final Runnable runnable)
    {
        final Thread thread = new Thread(runnable, count++ == 0 ? "ringcast-journal" : "ringcast-fanout");
        thread.setDaemon(true);
        return thread;
    }
}
