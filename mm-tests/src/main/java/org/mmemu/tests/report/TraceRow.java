package org.mmemu.tests.report;

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
 */
public record TraceRow(int step, int cpu, boolean inInterrupt, String function, String statement,
                       List<PageState> pages) {
    public TraceRow {
        pages = List.copyOf(pages);
    }

    /** A watched page's state after a step. */
    public record PageState(String page, int count, boolean lru) {
    }
}
