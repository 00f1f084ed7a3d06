package org.mmemu.oracle;

import java.util.Map;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;

/**
 * One (scenario, protocol) pair the oracle compares, and the program both engines run for it.
 *
 * <p>The program is the scenario without its interrupts. The free engine delivers none (a real
 * thread cannot be interrupted by the emulator), so Fray can only pause a CPU, never run a handler
 * on it; the controlled engine under {@code --delays anywhere} may also pause any CPU at any step.
 * Every shipped handler is a busy loop of CPU-local steps ({@code {steps: N}}), which under
 * {@code anywhere} is nothing but such a pause: dropping it changes no reachable state, and both
 * engines then search exactly the same program (docs/ORACLE.md).
 */
record OraclePair(String scenario, String protocol) {
    /** The scenario as shipped, under this pair's protocol. */
    Scenario load(Scenarios scenarios) {
        return scenarios.resolve(scenario).withProtocol(protocol);
    }

    /** The program both engines run: the scenario under this protocol, interrupts dropped. */
    ScenarioProgram program(Scenarios scenarios) {
        Scenario s = load(scenarios);
        Scenario quiet = new Scenario(s.name(), s.description(), s.source(), s.machine(), s.pages(), s.programs(),
                Map.of(), s.engine(), s.expect(), null, s.watch());
        return new ScenarioProgram(quiet, protocol, KernelWiring.standard());
    }

    /** Whether this is the seed race, for which Fray must find what the controlled engine finds. */
    boolean seedRace() {
        return scenario.equals(OracleScope.SEED_RACE);
    }

    @Override
    public String toString() {
        return scenario + " [" + protocol + "]";
    }
}
