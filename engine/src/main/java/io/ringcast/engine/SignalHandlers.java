package io.ringcast.engine;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT run an orderly stop and exit 0 (a plain shutdown hook would leave the JVM's 143).
 */
final class SignalHandlers
{
    private SignalHandlers()
    {
    }

    static void onTerminate(final Runnable action)
    {
        final Thread[] running = new Thread[1];
        final sun.misc.SignalHandler handler = signal ->
        {
            synchronized (running)
            {
                if (running[0] == null)
                {
                    running[0] = new Thread(action, "ringcast-signal-" + signal.getName());
                    running[0].start();
                }
            }
        };
        Signal.handle(new Signal("TERM"), handler);
        Signal.handle(new Signal("INT"), handler);
    }
}
