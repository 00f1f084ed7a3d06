package org.mmemu.odds;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.mmemu.engine.DelayModel;

/**
 * The exact odds of a scenario under a timing profile (issue 22, item 2): for each kind of
 * finding, the effective window W = ∫ P(finding | t) dt over one CPU's start offset t, in cycles,
 * as an {@link Interval} that encloses the true value, and whether the search behind it was
 * complete.
 *
 * <p>The computation needs the classes of the irq delay model with state merging (issue 21): the
 * outcome is constant on each class of arrival times, durations and offsets, and each class is
 * weighted by the profile's {@link Poisson} and {@link HandlerDuration} probabilities, what was
 * not enumerated added to the upper end ({@link BoundedSum}). It lives with that search; this
 * module only finds it, by {@link ServiceLoader} ({@code META-INF/services/org.mmemu.odds.OddsComputation}),
 * so {@code mmemu odds} can say honestly when there is none.
 */
public interface OddsComputation {
    /** A short name for reports. */
    String name();

    /** The delay model it computes under ({@link DelayModel#IRQ} for the timed model of issue 22). */
    DelayModel delayModel();

    /** Whether it can compute {@code request} (its scenario, protocol and profile). */
    boolean accepts(OddsRequest request);

    /** The odds of {@code request}; only called when {@link #accepts} said yes. */
    OddsResult compute(OddsRequest request);

    /** The first computation on {@code loader}'s class path for {@code model} that accepts {@code request}. */
    static Optional<OddsComputation> find(ClassLoader loader, DelayModel model, OddsRequest request) {
        List<OddsComputation> all = ServiceLoader.load(OddsComputation.class, loader).stream()
                .map(ServiceLoader.Provider::get).toList();
        return all.stream().filter(c -> c.delayModel() == model && c.accepts(request)).findFirst();
    }
}
