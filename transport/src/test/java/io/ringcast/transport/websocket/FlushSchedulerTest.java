package io.ringcast.transport.websocket;

import io.ringcast.transport.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scheduler driven on the test thread: the "I/O thread" is a queue of tasks the test runs by hand. */
class FlushSchedulerTest
{
    private final ArrayDeque<Runnable> ioTasks = new ArrayDeque<>();
    private final Metrics metrics = new Metrics();
    private final FlushScheduler scheduler = new FlushScheduler(ioTasks::add, 16, metrics);
    private final List<String> flushed = new ArrayList<>();

    @Test
    void shouldFlushTheSessionsQueuedBehindOneWhoseFlushThrowsAndCountIt()
    {
        scheduler.schedule(target("first"));
        scheduler.schedule(() ->
        {
            throw new IllegalStateException("broken session");
        });
        scheduler.schedule(target("third"));

        assertEquals(1, ioTasks.size(), "one drain task per wake-up");
        ioTasks.poll().run();

        assertEquals(List.of("first", "third"), flushed);
        assertEquals(1, metrics.ioErrors.get());
    }

    @Test
    void shouldScheduleANewDrainTaskOnceTheLastOneRan()
    {
        scheduler.schedule(target("one"));
        ioTasks.poll().run();
        scheduler.schedule(target("two"));

        assertEquals(1, ioTasks.size());
        ioTasks.poll().run();
        assertEquals(List.of("one", "two"), flushed);
    }

    private FlushScheduler.Target target(final String name)
    {
        return () -> flushed.add(name);
    }
}
