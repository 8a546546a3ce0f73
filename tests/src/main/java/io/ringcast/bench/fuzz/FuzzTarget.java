package io.ringcast.bench.fuzz;

import java.util.Random;

/**
 * One decoder under fuzz. Case {@code i} of a run with seed {@code s} is generated from its own
 * {@link Random} seeded with {@link #caseSeed(long, long)}, so any failing case can be replayed alone.
 */
public abstract class FuzzTarget implements AutoCloseable
{
    /** Where failures go; the run carries on after each one. */
    public interface Failures
    {
        void add(String target, long caseNumber, String what);
    }

    /** A property the decoder broke. */
    public static final class Failure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        public Failure(final String message)
        {
            super(message, null, false, false);
        }
    }

    public abstract String name();

    /** What a case is and what is checked, one line. */
    public abstract String description();

    /** One case; throws {@link Failure} (or anything else, also a failure) when a property does not hold. */
    protected abstract void runCase(Random random) throws Exception;

    /** Run cases {@code [0, cases)}. */
    public void run(final long seed, final long cases, final Failures failures) throws Exception
    {
        final Random random = new Random();
        for (long i = 0; i < cases; i++)
        {
            random.setSeed(caseSeed(seed, i));
            try
            {
                runCase(random);
            }
            catch (final Failure failure)
            {
                failures.add(name(), i, failure.getMessage());
            }
            catch (final Exception | StackOverflowError ex)
            {
                failures.add(name(), i, "threw " + ex);
            }
        }
    }

    /**
     * Run case {@code caseNumber} of the run with {@code seed} alone.
     *
     * @return null when it passes, else what failed.
     */
    public String runOne(final long seed, final long caseNumber)
    {
        try
        {
            runCase(new Random(caseSeed(seed, caseNumber)));
            return null;
        }
        catch (final Failure failure)
        {
            return failure.getMessage();
        }
        catch (final Exception | StackOverflowError ex)
        {
            return "threw " + ex;
        }
    }

    public static long caseSeed(final long seed, final long caseNumber)
    {
        long z = seed + caseNumber * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    static void check(final boolean property, final String what)
    {
        if (!property)
        {
            throw new Failure(what);
        }
    }

    @Override
    public void close() throws Exception
    {
    }
}
