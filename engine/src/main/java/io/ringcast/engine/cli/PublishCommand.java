package io.ringcast.engine.cli;

import io.ringcast.transport.client.IngestClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code ringcast publish --topic T|--group G [--json] [--host H] [--port P] PAYLOAD}: publishes one message
 * through the ingest port and prints its id.
 */
public final class PublishCommand
{
    private static final String USAGE =
        "usage: ringcast publish --topic T|--group G [--json] [--host H] [--port P] PAYLOAD";

    private PublishCommand()
    {
    }

    /** @return the process exit status. */
    public static int run(final String[] args, final Map<String, String> env)
    {
        String topic = null;
        String group = null;
        boolean json = false;
        String host = env.getOrDefault("RINGCAST_INGEST_HOST", "127.0.0.1");
        String port = env.getOrDefault("RINGCAST_INGEST_PORT", "9090");
        String payload = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--topic": topic = value(args, ++i, arg); break;
                case "--group": group = value(args, ++i, arg); break;
                case "--json": json = true; break;
                case "--host": host = value(args, ++i, arg); break;
                case "--port": port = value(args, ++i, arg); break;
                case "--help":
                    System.out.println(USAGE);
                    return 0;
                default:
                    if (arg.startsWith("--") || payload != null)
                    {
                        System.err.println("ringcast publish: unexpected argument '" + arg + "'\n" + USAGE);
                        return 2;
                    }
                    payload = arg;
            }
            if (i >= args.length)
            {
                System.err.println("ringcast publish: " + arg + " needs a value\n" + USAGE);
                return 2;
            }
        }
        if ((topic == null) == (group == null) || payload == null)
        {
            System.err.println("ringcast publish: give one of --topic or --group, and a payload\n" + USAGE);
            return 2;
        }
        final int portNumber;
        try
        {
            portNumber = Integer.parseInt(port);
        }
        catch (final NumberFormatException ex)
        {
            System.err.println("ringcast publish: invalid --port '" + port + "'");
            return 2;
        }
        final int flags = (json ? IngestClient.FLAG_JSON : 0) | (group != null ? IngestClient.FLAG_GROUP : 0);
        try (IngestClient client = IngestClient.connect(host, portNumber))
        {
            final long id = client.publish(topic != null ? topic : group, flags, payload.getBytes(StandardCharsets.UTF_8));
            System.out.println(id);
            return 0;
        }
        catch (final IngestClient.PublishException ex)
        {
            System.err.println("ringcast publish: " + ex.getMessage());
            return 1;
        }
        catch (final IOException ex)
        {
            System.err.println("ringcast publish: cannot reach " + host + ":" + portNumber + ": " + ex.getMessage());
            return 1;
        }
    }

    private static String value(final String[] args, final int index, final String flag)
    {
        return index < args.length ? args[index] : null;
    }
}
