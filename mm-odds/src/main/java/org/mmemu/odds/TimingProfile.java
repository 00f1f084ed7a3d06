package org.mmemu.odds;

import java.util.List;
import org.mmemu.engine.CostTable;

/**
 * A machine as the odds see it (issue 22, item 1): its clock, what each kind of step costs, the
 * interrupts each CPU takes, how often a step costs more (jitter), and the workload rates that turn
 * an effective window into a time to failure. Read from YAML by {@link ProfileReader}, written back
 * by {@link ProfileWriter}; the shipped ones are {@link Profiles}. docs/ODDS.md gives each shipped
 * value's source.
 *
 * @param name        a word naming the profile
 * @param description one line
 * @param clockHz     the CPUs' clock rate in Hz: cycles are of this clock
 * @param cpus        the number of CPUs
 * @param costs       the cost table, in cycles
 * @param jitter      extra cost with some probability per step, or null for none
 * @param interrupts  the interrupt sources
 * @param workload    the rates for time to failure
 */
public record TimingProfile(String name, String description, double clockHz, int cpus, Costs costs, Jitter jitter,
        List<InterruptSource> interrupts, Workload workload) {

    public TimingProfile {
        interrupts = List.copyOf(interrupts);
        if (!(clockHz > 0) || Double.isInfinite(clockHz) || cpus < 1) {
            throw new IllegalArgumentException("a profile needs a positive clock and at least one CPU");
        }
        for (InterruptSource s : interrupts) {
            for (int c : s.cpus()) {
                if (c >= cpus) {
                    throw new IllegalArgumentException("interrupt source " + s.name() + " on cpu" + c + " of " + cpus);
                }
            }
        }
    }

    /** The sources that interrupt {@code cpu}. */
    public List<InterruptSource> sourcesOn(int cpu) {
        return interrupts.stream().filter(s -> s.cpus().contains(cpu)).toList();
    }

    /** The interrupts {@code cpu} takes per second, all its sources together. */
    public double ratePerSecond(int cpu) {
        double rate = 0;
        for (InterruptSource s : sourcesOn(cpu)) {
            rate += s.ratePerSecond();
        }
        return rate;
    }

    /** The arrivals of {@code source} on one of its CPUs, at this profile's clock. */
    public Poisson arrivals(InterruptSource source) {
        return Poisson.of(source.ratePerSecond(), clockHz);
    }

    /** {@code cycles} of this clock in seconds. */
    public Interval seconds(Interval cycles) {
        return cycles.divide(Interval.point(clockHz));
    }

    /**
     * What a step costs, in cycles, by kind.
     *
     * @param local        a step on the CPU's own state (a compare, a call, cli/sti)
     * @param cacheHit     a load that hits the cache
     * @param atomic       a locked read-modify-write (an atomic, a bitop) on a line the CPU holds
     * @param lineTransfer extra, when the line was last written by another CPU
     * @param lockAcquire  taking a free spinlock
     * @param lockRelease  releasing a spinlock
     * @param spin         one turn of a CPU spinning on a held lock
     */
    public record Costs(long local, long cacheHit, long atomic, long lineTransfer, long lockAcquire, long lockRelease,
            long spin) {
        /** The timed engine's table with these costs (mm-engine {@link CostTable}). */
        public CostTable costTable() {
            return new CostTable(local, cacheHit, atomic, lockAcquire, lockRelease, lineTransfer, spin);
        }
    }

    /**
     * A step costs {@code extraCycles} more with {@code probability}, independently of other
     * steps: a cache miss the cost table does not know about.
     */
    public record Jitter(double probability, long extraCycles) {
    }

    /**
     * An interrupt source: {@code ratePerSecond} arrivals per second on each CPU of {@code cpus},
     * each handler running for a {@code duration}.
     */
    public record InterruptSource(String name, List<Integer> cpus, double ratePerSecond, HandlerDuration duration) {
        public InterruptSource {
            cpus = List.copyOf(cpus);
        }
    }

    /**
     * The rates that make an effective window a time to failure (docs/ODDS.md, "Time to failure").
     *
     * @param releasesPerSecond   last-reference releases of LRU pages per second
     * @param isolationsPerSecond pages isolated from the LRU by reclaim per second
     * @param lruPages            pages on the LRU lists
     * @param pagevecFirstShare   the share of those releases made through a pagevec with the page first in it
     * @param plainReleaseShare   the share made through plain {@code page_cache_release()}
     */
    public record Workload(double releasesPerSecond, double isolationsPerSecond, long lruPages,
            double pagevecFirstShare, double plainReleaseShare) {
    }
}
