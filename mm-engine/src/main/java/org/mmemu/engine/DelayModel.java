package org.mmemu.engine;

/**
 * Which delays the controlled engine lets a CPU suffer (docs/ARCHITECTURE.md §3).
 *
 * <ul>
 * <li>{@link #ANYWHERE} ({@code any}): any CPU may be delayed at any step. The adversary of
 *     model checking, and what vCPU preemption does to a guest kernel. The preemption bound
 *     counts switches away from a CPU that could have gone on.</li>
 * <li>{@link #IRQ} ({@code irq}): bare metal as the 2002 discussion assumed it. CPUs take one
 *     step each in turn (lock-step round robin); a CPU falls behind only by its start offset
 *     (explored), by at most {@code preemption-bound} slips of at most K steps each (K = the
 *     skew), and by taking an interrupt, which arrives only where its irqs are on. A CPU
 *     spinning on a held lock keeps pace: each of its turns is a spin step that changes
 *     nothing.</li>
 * </ul>
 */
public enum DelayModel {
    ANYWHERE("any"),
    IRQ("irq");

    private final String id;

    DelayModel(String id) {
        this.id = id;
    }

    /** The name used in schedules and on the command line: {@code any} or {@code irq}. */
    public String id() {
        return id;
    }

    /** The model named {@code id} ({@code any}/{@code anywhere} or {@code irq}). */
    public static DelayModel byId(String id) {
        return switch (id) {
            case "any", "anywhere" -> ANYWHERE;
            case "irq" -> IRQ;
            default -> throw new IllegalArgumentException("unknown delay model '" + id + "' (any, irq)");
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
