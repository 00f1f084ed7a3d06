package org.mmemu.report;

import org.mmemu.scenario.run.TraceLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceFormatterTest {
    private static TraceLine row(int step, int cpu, boolean irq, String fn, String stmt, int count, boolean lru) {
        return new TraceLine(step, cpu, irq, fn, stmt, List.of(new TraceLine.PageState("P", count, lru)));
    }

    @Test
    void eachStepSitsInItsCpusColumnWithThePageStateAfterIt() {
        List<TraceLine> rows = List.of(
                row(1, 1, false, "shrink_cache", "TestClearPageLRU(page)", 1, false),
                row(2, 0, false, "__pagevec_release", "put_page_testzero(page)", 0, false),
                row(3, 1, false, "shrink_cache", "page_cache_get(page)", 1, false),
                row(4, 0, true, "handler", "busy", 1, false));
        String text = new TraceFormatter().format(rows, 2);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(5);
        String header = lines.get(0);
        int col0 = header.indexOf("cpu0");
        int col1 = header.indexOf("cpu1");
        assertThat(header).endsWith("P count  P lru");
        assertThat(lines.get(1).indexOf("shrink_cache")).isEqualTo(col1);
        assertThat(lines.get(2).indexOf("__pagevec_release")).isEqualTo(col0);
        assertThat(lines.get(2)).endsWith("0      0");
        assertThat(lines.get(3)).endsWith("1      0");
        assertThat(lines.get(4).indexOf("[irq] handler: busy")).isEqualTo(col0);
    }

    @Test
    void engineRowsAreNumberedFromOneAndSayWhatTheyAre() {
        var site = org.mmemu.core.emu.Site.of("__pagevec_release", "spin_lock_irq(&zone->lru_lock)");
        List<TraceLine.PageState> p = List.of(new TraceLine.PageState("P", 0, false));
        assertThat(TraceLine.of(0, 0, "STEP", site, false, p))
                .isEqualTo(new TraceLine(1, 0, false, "__pagevec_release", "spin_lock_irq(&zone->lru_lock)", p));
        assertThat(TraceLine.of(4, 0, "SPIN", site, false, p).statement()).endsWith("(spins)");
        assertThat(TraceLine.of(5, 1, "IRQ_ENTER", site, false, p).inInterrupt()).isTrue();
        assertThat(TraceLine.of(6, 1, "IRQ_EXIT", site, true, p).statement()).isEqualTo("returns");
    }

    @Test
    void longStatementsWrapOntoMoreLinesAndAreNeverCut() {
        String stmt = "list_add(&page->lru, &page_list) [1/5: load head->next] " + "x".repeat(70);
        List<TraceLine> rows = List.of(row(1, 0, false, "shrink_cache", stmt, 1, true).marked("BUG: double-free of P"),
                row(2, 0, false, "f", "g", 0, false));
        List<String> lines = new TraceFormatter(40).format(rows, 1).lines().toList();
        assertThat(lines.get(1)).startsWith("1  shrink_cache: list_add(&page->lru,").endsWith("<== BUG: double-free of P")
                .contains("1      1");
        assertThat(lines.get(2)).startsWith("     &page_list) [1/5: load head->next]").doesNotContain("1      1");
        // Nothing is lost: every character of the statement is printed somewhere.
        long xs = String.join("", lines).chars().filter(c -> c == 'x').count();
        assertThat(xs).isEqualTo(stmt.chars().filter(c -> c == 'x').count());
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("..."));
        assertThat(lines.get(lines.size() - 1)).startsWith("2  f: g");
    }
}
