package org.mmemu.engine.search;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.mmemu.engine.ExploreOptions;

/**
 * The schedule policies by name, for the command line: {@code replay}, {@code random},
 * {@code pct}, {@code pos}, {@code exhaustive}, {@code dpor}. Each exploration gets a fresh instance (policies keep the
 * state of their search).
 */
public final class Policies {
    private static final Map<String, Function<ExploreOptions, SchedulePolicy>> REGISTRY = new TreeMap<>(Map.of(
            ReplayPolicy.NAME, ReplayPolicy::new,
            RandomPolicy.NAME, RandomPolicy::new,
            PctPolicy.NAME, PctPolicy::new,
            ExhaustivePolicy.NAME, ExhaustivePolicy::new,
            DporPolicy.NAME, DporPolicy::new,
            PosPolicy.NAME, PosPolicy::new));

    private Policies() {
    }

    /** A fresh instance of the policy named {@code name}, configured by {@code o}. */
    public static SchedulePolicy create(String name, ExploreOptions o) {
        Function<ExploreOptions, SchedulePolicy> f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown schedule policy '" + name + "' (" + String.join(", ", names()) + ")");
        }
        return f.apply(o);
    }

    /** The registered names, sorted. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }
}
