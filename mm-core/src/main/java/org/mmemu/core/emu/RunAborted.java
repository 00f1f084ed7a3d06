package org.mmemu.core.emu;

/**
 * Unwinds an emulated CPU's kernel code when the run ends early: a finding that stops the run,
 * or an engine that ends it (bound reached, another CPU's finding). Never caught by mirrors.
 */
public class RunAborted extends RuntimeException {
    private final transient Finding finding;

    public RunAborted(Finding finding) {
        super(finding == null ? "run aborted" : finding.toString(), null, false, false);
        this.finding = finding;
    }

    /** The finding that ended the run, or null when the engine ended it for another reason. */
    public Finding finding() {
        return finding;
    }
}
