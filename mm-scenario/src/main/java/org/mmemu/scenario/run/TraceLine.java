package org.mmemu.scenario.run;

import java.util.List;

/**
 * One step of a trace as the text report draws it: which CPU stepped, in which kernel function
 * and statement, whether in an interrupt handler, and the watched pages' count and PG_lru just
 * after the step. Engines' own trace records are adapted to this.
 *
 * @param step        the step's number in the execution, from 1
 * @param cpu         the CPU that stepped
 * @param inInterrupt whether it stepped in an interrupt handler
 * @param function    the kernel function, e.g. {@code shrink_cache}
 * @param statement   the statement, e.g. {@code page_count(page) == 0}
 * @param pages       the watched pages after the step
 * @param mark        what the row is to a finding ({@code root cause}, {@code BUG: double-free of P}), or ""
 */
public record TraceLine(int step, int cpu, boolean inInterrupt, String function, String statement,
                       List<PageState> pages, String mark) {
    public TraceLine {
        pages = List.copyOf(pages);
        mark = mark == null ? "" : mark;
    }

    /** An unmarked row. */
    public TraceLine(int step, int cpu, boolean inInterrupt, String function, String statement, List<PageState> pages) {
        this(step, cpu, inInterrupt, function, statement, pages, "");
    }

    /** This row with {@code m} as its mark. */
    public TraceLine marked(String m) {
        return new TraceLine(step, cpu, inInterrupt, function, statement, pages, m);
    }

    /**
     * A row from an engine's trace, whose rows number from 0 and say what kind of row they are:
     * {@code STEP}, {@code SPIN} (waiting on a lock at {@code site}, changing nothing),
     * {@code IRQ_ENTER} or {@code IRQ_EXIT}.
     */
    public static TraceLine of(int index, int cpu, String kind, org.mmemu.core.emu.Site site, boolean inInterrupt,
                              List<PageState> pages) {
        return switch (kind) {
            case "SPIN" -> new TraceLine(index + 1, cpu, inInterrupt, site.function(), site.statement() + " (spins)", pages);
            case "IRQ_ENTER" -> new TraceLine(index + 1, cpu, true, "interrupt", "arrives", pages);
            case "IRQ_EXIT" -> new TraceLine(index + 1, cpu, false, "interrupt", "returns", pages);
            default -> new TraceLine(index + 1, cpu, inInterrupt, site.function(), site.statement(), pages);
        };
    }

    /** A watched page's state after a step. */
    public record PageState(String page, int count, boolean lru) {
    }
}
