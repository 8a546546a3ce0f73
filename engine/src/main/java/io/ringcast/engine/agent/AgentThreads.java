package io.ringcast.engine.agent;

import org.agrona.concurrent.AgentRunner;

/** Starts an {@link AgentRunner}'s agent on its own daemon thread, named after the agent's role. */
public final class AgentThreads
{
    private AgentThreads()
    {
    }

    /** {@link AgentRunner#close()} stops the agent and waits for its thread. */
    public static void start(final AgentRunner runner)
    {
        AgentRunner.startOnThread(runner, runnable ->
        {
            final Thread thread = new Thread(runnable, runner.agent().roleName());
            thread.setDaemon(true);
            return thread;
        });
    }
}
