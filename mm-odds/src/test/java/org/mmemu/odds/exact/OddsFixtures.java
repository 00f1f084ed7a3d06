package org.mmemu.odds.exact;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.odds.HandlerDuration;
import org.mmemu.odds.TimingProfile;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;

/** What the exact computation's tests share: the small race, profiles with chosen interrupts, and draws. */
final class OddsFixtures {
    static final double CLOCK = 2.2e9;
    static final TimingProfile.Costs COSTS = new TimingProfile.Costs(1, 2, 130, 370, 130, 2, 40);

    private OddsFixtures() {
    }

    /** A scenario shipped or under src/test/resources/odds, under {@code protocol}. */
    static ScenarioProgram program(String scenario, String protocol) {
        ProtocolRegistry reg = ProtocolRegistry.onClassPath();
        String where = scenario;
        var url = OddsFixtures.class.getResource("/odds/" + scenario + ".yaml");
        if (url != null) {
            try {
                where = Path.of(url.toURI()).toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ScenarioProgram(Scenarios.standard(reg).resolve(where), protocol, KernelWiring.standard(reg));
    }

    /** Two CPUs of {@link #COSTS}; cpu0 takes {@code d} at {@code rate0}/s, cpu1 a fixed timer at {@code rate1}/s. */
    static TimingProfile profile(double rate0, HandlerDuration d, double rate1, HandlerDuration d1) {
        return new TimingProfile("test", "a test profile", CLOCK, 2, COSTS, null, List.of(
                new TimingProfile.InterruptSource("irq0", List.of(0), rate0, d),
                new TimingProfile.InterruptSource("irq1", List.of(1), rate1, d1)),
                new TimingProfile.Workload(20_000, 20_000, 450_000, 0.0625, 0.5));
    }

    /** Draws of the profile's model: Poisson gaps in exposure time by CPU, durations by source share. */
    static TimedRun.Draws draws(TimingProfile p, SplittableRandom rng) {
        return new TimedRun.Draws() {
            @Override
            public double gap(int cpu) {
                double rate = p.ratePerSecond(cpu);
                return rate == 0 ? Double.POSITIVE_INFINITY : -Math.log(1 - rng.nextDouble()) * CLOCK / rate;
            }

            @Override
            public double duration(int cpu) {
                List<TimingProfile.InterruptSource> srcs = p.sourcesOn(cpu);
                double total = p.ratePerSecond(cpu);
                double x = rng.nextDouble() * total;
                for (TimingProfile.InterruptSource s : srcs) {
                    x -= s.ratePerSecond();
                    if (x < 0) {
                        return sample(s.duration(), rng);
                    }
                }
                return sample(srcs.get(srcs.size() - 1).duration(), rng);
            }
        };
    }

    /** A duration of {@code d}; a fixed one draws nothing (the seeded tests' streams stay as they were). */
    static double sample(HandlerDuration d, SplittableRandom rng) {
        return d instanceof HandlerDuration.Fixed f ? f.cycles() : d.sample(rng.nextDouble());
    }
}
