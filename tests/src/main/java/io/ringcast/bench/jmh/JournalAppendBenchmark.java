package io.ringcast.bench.jmh;

import io.ringcast.journal.Journal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Journal append: {@link Journal#append} of a 100-byte payload with its dense id into a Chronicle Queue in a temporary
 * directory (the node's default roll cycle, FAST_HOURLY), as the journal thread does per accepted message.
 */
@State(Scope.Benchmark)
public class JournalAppendBenchmark
{
    private Path dir;
    private Journal journal;
    private byte[] payload;
    private long id;

    @Setup
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("ringcast-jmh-journal");
        journal = Journal.open(dir, "FAST_HOURLY");
        payload = BenchFrames.textPayload(100);
    }

    @TearDown
    public void tearDown() throws IOException
    {
        journal.close();
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    public long append()
    {
        journal.append(++id, (byte)0, BenchFrames.TOPIC, BenchFrames.TOPIC.length, payload, payload.length);
        return id;
    }
}
