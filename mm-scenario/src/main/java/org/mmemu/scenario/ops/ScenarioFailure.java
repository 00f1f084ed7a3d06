package org.mmemu.scenario.ops;

/**
 * A scenario that read well but cannot go on at run time for a reason of its own making (an
 * operation on a page whose alloc_pages failed, a zone too small for its pages). Not a finding:
 * it is reported as bad input, one line, exit status 2.
 */
public final class ScenarioFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioFailure(String message) {
        super(message, null, false, false);
    }
}
