package io.ringcast.engine;

import io.ringcast.engine.cli.PublishCommand;
import io.ringcast.engine.config.Config;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ringcast [run] [flags]} starts a node; {@code ringcast publish ...} publishes one message.
 */
public final class Main
{
    private Main()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        // Before Undertow (JBoss Logging) loads: it logs through SLF4J, so everything ends in Logback.
        System.setProperty("org.jboss.logging.provider", "slf4j");

        if (args.length > 0 && "publish".equals(args[0]))
        {
            System.exit(PublishCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv()));
        }
        final String[] flags = args.length > 0 && "run".equals(args[0]) ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (flags.length > 0 && ("--help".equals(flags[0]) || "-h".equals(flags[0])))
        {
            System.out.print(Config.usage());
            return;
        }

        final Config config;
        try
        {
            config = Config.from(flags, System.getenv());
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("ringcast: " + ex.getMessage());
            System.exit(2);
            return;
        }

        final Node node;
        try
        {
            Logging.install(config.logFormat());
            node = Node.start(config);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("ringcast: cannot start: " + ex.getMessage());
            System.exit(1);
            return;
        }

        final CountDownLatch stopped = new CountDownLatch(1);
        final Runnable stop = () ->
        {
            node.close();
            stopped.countDown();
        };
        SignalHandlers.onTerminate(() ->
        {
            stop.run();
            System.exit(0);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "ringcast-shutdown"));

        System.out.println("ringcast: http listening on " + config.httpBind() + ":" + node.httpAddress().getPort());
        System.out.println("ringcast: ingest listening on " + config.ingestBind() + ":" + node.ingestAddress().getPort());
        System.out.flush();
        stopped.await();
    }
}
