package org.mmemu.report;

import java.util.List;

/**
 * What {@code mmemu catalogue --json} writes: each entry's run on its buggy and its fixed kernel.
 * The fixed kernel is judged by whether the entry's kind ({@code expect}) was found and the search
 * was complete; the other kinds found on either kernel are listed too ({@code kinds}), as what
 * else the scenario shows, never as the entry's verdict (docs/CATALOGUE.md, "The rule").
 *
 * @param entries every entry run, in catalogue order
 */
public record CatalogueReport(List<Entry> entries) {
    public CatalogueReport {
        entries = List.copyOf(entries);
    }

    /**
     * One entry.
     *
     * @param name    the entry ({@code catalogue: entry:})
     * @param commit  the fix's full commit id
     * @param expect  the finding kind the entry is about
     * @param buggy   the run on the buggy kernel
     * @param fixed   the run on the fixed kernel
     * @param verdict holds | fails | inconclusive
     * @param why     one line: what failed or was left incomplete; "" when it holds
     */
    public record Entry(String name, String commit, String expect, Buggy buggy, Fixed fixed, String verdict,
                        String why) {
    }

    /**
     * The buggy kernel's run, stopped at the first finding of the entry's kind.
     *
     * @param kernel   the kernel, as {@code mmemu kernels} names it
     * @param kinds    every kind found, in the order found
     * @param found     whether the entry's kind was found
     * @param schedules executions run
     * @param millis    wall time
     */
    public record Buggy(String kernel, List<String> kinds, boolean found, long schedules, long millis) {
        public Buggy {
            kinds = List.copyOf(kinds);
        }
    }

    /**
     * The fixed kernel's run, searched to the end unless the entry's kind turns up.
     *
     * @param kernel          the kernel
     * @param kinds           every kind found (none of them the entry's, when it holds)
     * @param complete        whether the search covered its whole space
     * @param policy          dpor | exhaustive
     * @param delays          anywhere | irq
     * @param preemptionBound the bound, or null for none
     * @param schedules       executions run
     * @param millis          wall time
     */
    public record Fixed(String kernel, List<String> kinds, boolean complete, String policy, String delays,
                        Integer preemptionBound, long schedules, long millis) {
        public Fixed {
            kinds = List.copyOf(kinds);
        }
    }
}
