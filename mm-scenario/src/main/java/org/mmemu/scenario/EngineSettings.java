package org.mmemu.scenario;

import java.time.Duration;
import java.util.List;

/**
 * How to run a scenario: the {@code engine:} section of a file, or the options of the command
 * line. Every field may be null (not given); {@link #overriddenBy} lays the command line over
 * the file, and {@link #withDefaults} fills what neither gave.
 *
 * @param policy          a policy of mm-core's registry: dpor | exhaustive | pct | pos | random | replay
 * @param preemptionBound context switches away from a CPU that could go on (docs/ARCHITECTURE.md §3);
 *                        {@link #NO_BOUND} for none ({@code none} in files and on the command line)
 * @param delays          irq | anywhere
 * @param seed            the seed of randomized policies
 * @param skew            the most steps one slip may put a CPU behind, under {@code delays: irq}
 * @param maxSchedules    the most schedules one exploration runs
 * @param timeLimit       the most wall time one command may take
 * @param schedule        the schedule {@code replay} follows
 * @param merge           state merging in the exhaustive {@code irq} search (docs/ARCHITECTURE.md §3);
 *                        false is {@code --no-merge}
 */
public record EngineSettings(String policy, Integer preemptionBound, String delays, Long seed, Integer skew,
                             Long maxSchedules, Duration timeLimit, String schedule, Boolean merge) {
    /** The settings of the eight fields before {@code merge}, which none of them gives. */
    public EngineSettings(String policy, Integer preemptionBound, String delays, Long seed, Integer skew,
                          Long maxSchedules, Duration timeLimit, String schedule) {
        this(policy, preemptionBound, delays, seed, skew, maxSchedules, timeLimit, schedule, null);
    }

    public static final List<String> POLICIES = org.mmemu.engine.search.Policies.names();
    /** The preemption bound that is none ({@code preemption-bound: none}). */
    public static final int NO_BOUND = -1;
    public static final List<String> DELAYS = List.of("irq", "anywhere");

    /** Nothing given. */
    public static EngineSettings none() {
        return new EngineSettings(null, null, null, null, null, null, null, null);
    }

    /** What a run uses when neither the file nor the command line says otherwise. */
    public static EngineSettings defaults() {
        return new EngineSettings("exhaustive", 2, "irq", 1L, 2, 100_000L, Duration.ofSeconds(60), null, true);
    }

    /** These settings with every field {@code other} gives replaced by {@code other}'s. */
    public EngineSettings overriddenBy(EngineSettings other) {
        return new EngineSettings(
                other.policy != null ? other.policy : policy,
                other.preemptionBound != null ? other.preemptionBound : preemptionBound,
                other.delays != null ? other.delays : delays,
                other.seed != null ? other.seed : seed,
                other.skew != null ? other.skew : skew,
                other.maxSchedules != null ? other.maxSchedules : maxSchedules,
                other.timeLimit != null ? other.timeLimit : timeLimit,
                other.schedule != null ? other.schedule : schedule,
                other.merge != null ? other.merge : merge);
    }

    /**
     * These settings with the defaults filled in where nothing was given. {@code dpor} explores
     * without a preemption bound unless one is given (it covers every trace, so it needs none).
     */
    public EngineSettings withDefaults() {
        EngineSettings d = defaults().overriddenBy(this);
        if (preemptionBound == null && "dpor".equals(d.policy)) {
            d = d.overriddenBy(new EngineSettings(null, NO_BOUND, null, null, null, null, null, null));
        }
        return d;
    }

    /** A preemption bound as files and the command line write it: {@code 0} to {@code 64}, or {@code none}. */
    public static int parseBound(String s) {
        if (s.equals("none")) {
            return NO_BOUND;
        }
        try {
            int b = Integer.parseInt(s);
            if (b >= 0 && b <= 64) {
                return b;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException("the preemption bound must be between 0 and 64, or none (not '" + s + "')");
    }
}
