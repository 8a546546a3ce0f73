package io.ringcast.engine.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest
{
    @Test
    void shouldUseDocumentedDefaults()
    {
        final Config config = Config.from(new String[0], Map.of());

        assertEquals(8080, config.httpPort());
        assertEquals("0.0.0.0", config.httpBind());
        assertEquals(9090, config.ingestPort());
        assertEquals("127.0.0.1", config.ingestBind());
        assertEquals(Path.of("./data/journal"), config.journalDir());
        assertEquals(24L * 60 * 60 * 1000, config.retentionMs());
        assertEquals(1024 * 1024, config.maxPayloadBytes());
        assertEquals(5_000, config.ackTimeoutMs());
        assertEquals(0, config.maxLag());
        assertEquals(60_000, config.stallTimeoutMs());
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), config.ioThreads(),
            "half the cores for I/O, at least one");
    }

    @Test
    void shouldGiveSameDefaultsFromDefaultsFactory()
    {
        final Config config = Config.defaults();

        assertEquals(8080, config.httpPort());
        assertEquals(9090, config.ingestPort());
        assertEquals("FAST_HOURLY", config.rollCycle());
    }

    @Test
    void shouldNameEnvironmentVariablesAfterFlags()
    {
        for (final Setting<?> setting : Config.SETTINGS)
        {
            assertTrue(setting.envName().startsWith("RINGCAST_"));
            assertFalse(setting.envName().contains("-"));
            assertTrue(Config.usage().contains("--" + setting.name), setting.name);
            assertTrue(Config.usage().contains(setting.envName()), setting.envName());
        }
        assertTrue(Config.SETTINGS.stream().anyMatch(s -> s.envName().equals("RINGCAST_HTTP_PORT")));
        assertTrue(Config.SETTINGS.stream().anyMatch(s -> s.envName().equals("RINGCAST_MAX_PAYLOAD")));
    }

    @Test
    void shouldUseEnvironmentVariables()
    {
        final Map<String, String> env = Map.of(
            "RINGCAST_HTTP_PORT", "1234",
            "RINGCAST_HTTP_BIND", "127.0.0.2",
            "RINGCAST_INGEST_PORT", "0",
            "RINGCAST_INGEST_BIND", "0.0.0.0",
            "RINGCAST_JOURNAL_DIR", "/var/ringcast",
            "RINGCAST_RETENTION", "2h",
            "RINGCAST_MAX_PAYLOAD", "2KiB",
            "RINGCAST_ACK_TIMEOUT", "250ms",
            "RINGCAST_MAX_LAG", "1000",
            "RINGCAST_STALL_TIMEOUT", "3m");

        final Config config = Config.from(new String[0], env);

        assertEquals(1234, config.httpPort());
        assertEquals("127.0.0.2", config.httpBind());
        assertEquals(0, config.ingestPort());
        assertEquals("0.0.0.0", config.ingestBind());
        assertEquals(Path.of("/var/ringcast"), config.journalDir());
        assertEquals(2 * 3_600_000L, config.retentionMs());
        assertEquals(2048, config.maxPayloadBytes());
        assertEquals(250, config.ackTimeoutMs());
        assertEquals(1000, config.maxLag());
        assertEquals(180_000, config.stallTimeoutMs());
    }

    @Test
    void shouldLetFlagWinOverEnvironmentVariable()
    {
        final Map<String, String> env = Map.of("RINGCAST_HTTP_PORT", "1234", "RINGCAST_RETENTION", "2h");

        final Config config = Config.from(new String[] {"--http-port", "4321", "--retention", "30m"}, env);

        assertEquals(4321, config.httpPort());
        assertEquals(30 * 60_000L, config.retentionMs());
    }

    @Test
    void shouldAcceptNameEqualsValueForm()
    {
        final Config config = Config.from(
            new String[] {"--http-port=8181", "--max-payload=3MiB", "--ack-timeout=2s", "--journal-dir=/tmp/a=b"}, Map.of());

        assertEquals(8181, config.httpPort());
        assertEquals(3 * 1024 * 1024, config.maxPayloadBytes());
        assertEquals(2_000, config.ackTimeoutMs());
        assertEquals(Path.of("/tmp/a=b"), config.journalDir());
    }

    @Test
    void shouldLetLastFlagWinWhenRepeated()
    {
        final Config config = Config.from(new String[] {"--http-port", "1", "--http-port=2"}, Map.of());

        assertEquals(2, config.httpPort());
    }

    @Test
    void shouldParseEveryDurationUnit()
    {
        assertEquals(250, Config.parseDurationMs("250ms"));
        assertEquals(7_000, Config.parseDurationMs("7s"));
        assertEquals(120_000, Config.parseDurationMs("2m"));
        assertEquals(3 * 3_600_000L, Config.parseDurationMs("3h"));
        assertEquals(0, Config.parseDurationMs("0s"));
    }

    @Test
    void shouldParseEverySizeUnit()
    {
        assertEquals(512, Config.parseSizeBytes("512"));
        assertEquals(4 * 1024, Config.parseSizeBytes("4KiB"));
        assertEquals(5L * 1024 * 1024, Config.parseSizeBytes("5MiB"));
        assertEquals(6L * 1024 * 1024 * 1024, Config.parseSizeBytes("6GiB"));
    }

    @Test
    void shouldAcceptPortBoundaries()
    {
        assertEquals(0, Config.from(new String[] {"--http-port", "0"}, Map.of()).httpPort());
        assertEquals(65535, Config.from(new String[] {"--ingest-port", "65535"}, Map.of()).ingestPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"24", "5x", "s", "-1s", "1.5h", "abc", "", "1d", "99999999999999999h"})
    void shouldRejectBadDurationNamingTheFlag(final String value)
    {
        assertRejected("--retention", "--retention", value);
        assertRejected("--ack-timeout", "--ack-timeout", value);
        assertRejected("--stall-timeout", "--stall-timeout", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1MB", "-1", "1.5MiB", "1 TiB", "abc", "", "0", "65MiB", "99999999999GiB"})
    void shouldRejectBadSizeNamingTheFlag(final String value)
    {
        assertRejected("--max-payload", "--max-payload", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "-1", "http", "", "80.5", "99999999999"})
    void shouldRejectBadPortNamingTheFlag(final String value)
    {
        assertRejected("--http-port", "--http-port", value);
        assertRejected("--ingest-port", "--ingest-port", value);
    }

    @Test
    void shouldRejectZeroTimeoutsNamingTheFlag()
    {
        assertRejected("--ack-timeout", "--ack-timeout", "0s");
        assertRejected("--stall-timeout", "--stall-timeout", "0ms");
    }

    @Test
    void shouldRejectNegativeMaxLagNamingTheFlag()
    {
        assertRejected("--max-lag", "--max-lag", "-1");
        assertRejected("--max-lag", "--max-lag", "lots");
    }

    @Test
    void shouldRejectEmptyAddressOrDirectoryNamingTheFlag()
    {
        assertRejected("--http-bind", "--http-bind", " ");
        assertRejected("--journal-dir", "--journal-dir", "");
    }

    @Test
    void shouldRejectUnknownFlagNamingIt()
    {
        final IllegalArgumentException spaced = assertThrows(
            IllegalArgumentException.class, () -> Config.from(new String[] {"--no-such-flag", "1"}, Map.of()));
        assertTrue(spaced.getMessage().contains("--no-such-flag"), spaced.getMessage());

        final IllegalArgumentException equals = assertThrows(
            IllegalArgumentException.class, () -> Config.from(new String[] {"--no-such-flag=1"}, Map.of()));
        assertTrue(equals.getMessage().contains("--no-such-flag"), equals.getMessage());
    }

    @Test
    void shouldRejectFlagWithoutValueNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> Config.from(new String[] {"--http-port"}, Map.of()));

        assertTrue(ex.getMessage().contains("--http-port"), ex.getMessage());
    }

    @Test
    void shouldRejectArgumentThatIsNotAFlag()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> Config.from(new String[] {"8080"}, Map.of()));

        assertTrue(ex.getMessage().contains("8080"), ex.getMessage());
    }

    @Test
    void shouldNameTheFlagWhenBadValueComesFromEnvironment()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> Config.from(new String[0], Map.of("RINGCAST_RETENTION", "forever")));

        assertTrue(ex.getMessage().contains("--retention"), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line");
    }

    @Test
    void shouldUseFlagOverBadEnvironmentValue()
    {
        final Config config = Config.from(new String[] {"--retention", "1h"}, Map.of("RINGCAST_RETENTION", "forever"));

        assertEquals(3_600_000L, config.retentionMs());
    }

    @Test
    void shouldDocumentEverySettingInTheReadmeTableAsGenerated() throws IOException
    {
        final List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        final StringBuilder table = new StringBuilder();
        boolean inTable = false;
        for (final String line : lines)
        {
            if (line.startsWith("| flag | default | meaning |"))
            {
                inTable = true;
            }
            if (inTable)
            {
                if (!line.startsWith("|"))
                {
                    break;
                }
                table.append(line).append('\n');
            }
        }

        assertEquals(Config.settingsTable(), table.toString(),
            "README's settings table: regenerate it from Config.settingsTable()");
    }

    @Test
    void shouldListEverySettingInUsageWithItsDocumentedDefault()
    {
        final String usage = Config.usage();
        for (final Setting<?> setting : Config.SETTINGS)
        {
            assertTrue(usage.contains("--" + setting.name), setting.name);
            assertTrue(usage.contains(setting.documentedDefault), setting.name);
        }
    }

    @Test
    void shouldParseEveryWaitStrategyByItsFlagValue()
    {
        assertSame(WaitStrategyType.BACKOFF, Config.defaults().waitStrategy());
        for (final WaitStrategyType type : WaitStrategyType.values())
        {
            final Config config = Config.from(new String[] {"--wait-strategy", type.flagValue()}, Map.of());
            assertSame(type, config.waitStrategy());
            assertTrue(config.waitStrategy().newWaitStrategy() != null);
        }
        assertSame(WaitStrategyType.PHASED, Config.from(new String[0], Map.of("RINGCAST_WAIT_STRATEGY", "Phased")).waitStrategy());
    }

    @Test
    void shouldRejectUnknownWaitStrategyListingTheKnownOnes()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> Config.from(new String[] {"--wait-strategy", "busy-spin"}, Map.of()));

        assertEquals("invalid --wait-strategy 'busy-spin': unknown wait strategy; one of backoff, phased, lite, " +
            "blocking, yielding", ex.getMessage());
    }

    @Test
    void shouldDefaultToPlainLogsAndAcceptJson()
    {
        assertSame(LogFormat.PLAIN, Config.defaults().logFormat());
        assertSame(LogFormat.JSON, Config.from(new String[] {"--log-format=json"}, Map.of()).logFormat());
        assertSame(LogFormat.JSON, Config.from(new String[0], Map.of("RINGCAST_LOG_FORMAT", "JSON")).logFormat());
        assertRejected("--log-format", "--log-format", "xml");
    }

    @Test
    void shouldRejectRingSizeThatIsNotAPowerOfTwo()
    {
        assertRejected("power of two", "--ring-size", "1000");
        assertEquals(1024, Config.from(new String[] {"--ring-size", "1024"}, Map.of()).ringSize());
    }

    private static void assertRejected(final String expectedInMessage, final String flag, final String value)
    {
        final IllegalArgumentException spaced = assertThrows(
            IllegalArgumentException.class, () -> Config.from(new String[] {flag, value}, Map.of()),
            () -> flag + " " + value);
        assertTrue(spaced.getMessage().contains(expectedInMessage), spaced.getMessage());
        assertFalse(spaced.getMessage().contains("\n"), "one line");

        final IllegalArgumentException equals = assertThrows(
            IllegalArgumentException.class, () -> Config.from(new String[] {flag + "=" + value}, Map.of()),
            () -> flag + "=" + value);
        assertTrue(equals.getMessage().contains(expectedInMessage), equals.getMessage());
    }
}
