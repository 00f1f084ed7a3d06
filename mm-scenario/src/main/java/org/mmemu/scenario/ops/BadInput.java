package org.mmemu.scenario.ops;

import java.util.Optional;
import org.mmemu.scenario.yaml.ScenarioException;

/**
 * Finds the scenario's own error ({@link ScenarioException}, {@link NotWired},
 * {@link ScenarioFailure}) in what an engine threw: engines wrap what a CPU thread threw ("emulator
 * error on a CPU thread"), and the command line must still report it as bad input, in one line.
 */
public final class BadInput {
    private BadInput() {
    }

    /** The first scenario-level error in {@code t}'s cause chain, if any. */
    public static Optional<RuntimeException> in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ScenarioException || c instanceof NotWired || c instanceof ScenarioFailure) {
                return Optional.of((RuntimeException) c);
            }
        }
        return Optional.empty();
    }
}
