package org.mmemu.core.emu;

/**
 * A {@code BUG()} of the emulated kernel: the oops that ends the code running on that CPU. The
 * finding is {@link FindingKind#KERNEL_BUG}, distinct from what the emulator's own detectors
 * report, so that a reader can tell the kernel's check from mmemu's shadow state.
 */
public final class KernelBug extends RunAborted {
    public KernelBug(Finding finding) {
        super(finding);
    }
}
