package org.mmemu.engine;

import java.util.List;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Site;

/**
 * One row of a trace: what one CPU did at one point of a controlled run, and the state of the
 * watched pages right after it. This is what the command line prints and what the HTML report
 * draws as one lane per CPU.
 *
 * @param index       position in the trace, from 0
 * @param cpu         the CPU
 * @param kind        a step, a spin (waiting for a lock: changes nothing), or an interrupt's entry/exit
 * @param site        the step's site (for a spin, the lock attempt it waits at)
 * @param access      what the step does to its target ({@link Access#LOCAL} for interrupt entry/exit)
 * @param target      a stable description of the target ("page 3", a lock's name, "cpu0", a class name)
 * @param inInterrupt whether the CPU ran it in interrupt context
 * @param pages       count and PG_lru of every watched page after the row, in watch order
 */
public record TraceRow(int index, int cpu, Kind kind, Site site, Access access, String target,
                       boolean inInterrupt, List<PageState> pages) {

    /** What a row stands for. */
    public enum Kind {
        STEP, SPIN, IRQ_ENTER, IRQ_EXIT
    }

    /** A watched page after a row. */
    public record PageState(long pfn, int count, boolean lru) {
        @Override
        public String toString() {
            return "p" + pfn + "=" + count + (lru ? "L" : "");
        }
    }

    public TraceRow {
        pages = List.copyOf(pages);
    }

    /**
     * One line: {@code 12 cpu1     step  shrink_cache: page_count(page) == 0 [READ page 3] | p3=1L}.
     * Stable across runs, so it is also what the trace hash is computed from.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(index).append(" cpu").append(cpu).append(inInterrupt ? " irq  " : "      ")
                .append(kind.name().toLowerCase()).append("  ").append(site)
                .append(" [").append(access).append(' ').append(target).append(']');
        if (!pages.isEmpty()) {
            b.append(" |");
            for (PageState p : pages) {
                b.append(' ').append(p);
            }
        }
        return b.toString();
    }
}
