package org.mmemu.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.engine.Trace;
import org.mmemu.engine.TraceRow;
import org.mmemu.engine.TraceRow.Kind;
import org.mmemu.engine.TraceRow.PageState;

/** The page's escaping and structure, without a browser. */
class HtmlReportTest {
    private static final String EVIL = "<script>alert(\"x\")</script>'&";

    @Test
    void escapesEverythingAScenarioSupplies() {
        assertThat(Html.text(EVIL)).isEqualTo("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;");
        assertThat(Html.text("a\u0000b\u0007c\nd")).isEqualTo("ab" + "c\nd");

        Site evilSite = Site.of("<b>fn</b>", "x = \"<img src=x onerror=alert(1)>\"");
        Finding f = new Finding(FindingKind.DOUBLE_FREE, 3, 1, evilSite, "freed <twice>",
                List.of(new Finding.Related(Finding.ROOT_CAUSE, 0, evilSite)), Map.of(), "s<1>");
        Trace t = new Trace(List.of(
                new TraceRow(0, 0, Kind.STEP, evilSite, Access.LOCK, "<lock>", false, List.of(new PageState(3, 1, true))),
                new TraceRow(1, 1, Kind.STEP, evilSite, Access.WRITE, "page 3", false, List.of(new PageState(3, 0, true)))));
        ReportData data = ReportData.of("mmemu <explore>", EVIL)
                .with(new ReportData.Section("<proto>", "FOUND", "\"summary\"", List.of(new ReportData.Shown(f, t)),
                        pfn -> "<P>"))
                .with(new ReportData.Table("t<", List.of("h<"), List.of(List.of("c<")), "n<"));
        String page = HtmlReport.render(data);

        assertThat(page).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>")
                .doesNotContain("<proto>").doesNotContain("<P>").doesNotContain("<lock>").doesNotContain("<twice>");
        assertThat(page).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;");
        assertThat(page).contains("&lt;proto&gt;").contains("count(&lt;P&gt;)").contains("s&lt;1&gt;");
        // Self-contained: nothing is loaded from anywhere.
        assertThat(page).doesNotContain("src=\"").doesNotContain("href=").doesNotContain("<link")
                .doesNotContain("url(");
    }

    @Test
    void drawsLanesLockSpansInterruptsAndMarks() {
        Site lock = Site.of("shrink_cache", "spin_lock_irq(&zone->lru_lock)");
        Site get = Site.of("shrink_cache", "page_cache_get(page)");
        Site unlock = Site.of("shrink_cache", "spin_unlock_irq(&zone->lru_lock)");
        Site put = Site.of("__pagevec_release", "put_page_testzero(page)");
        Site free = Site.of("__pagevec_release", "pagevec_free(&pages_to_free)");
        Site irq = Site.of("interrupt", "handler work");
        List<PageState> one = List.of(new PageState(7, 1, true));
        List<PageState> zero = List.of(new PageState(7, 0, true));
        Trace t = new Trace(List.of(
                new TraceRow(0, 0, Kind.STEP, lock, Access.LOCK, "Normal->lru_lock", false, one),
                new TraceRow(1, 1, Kind.STEP, put, Access.WRITE, "page 7", false, zero),
                new TraceRow(2, 1, Kind.IRQ_ENTER, Site.of("interrupt", "irq_enter()"), Access.LOCAL, "cpu1", true, zero),
                new TraceRow(3, 0, Kind.STEP, get, Access.WRITE, "page 7", false, one),
                new TraceRow(4, 1, Kind.STEP, irq, Access.LOCAL, "cpu1", true, one),
                new TraceRow(5, 1, Kind.STEP, irq, Access.LOCAL, "cpu1", true, one),
                new TraceRow(6, 0, Kind.STEP, unlock, Access.UNLOCK, "Normal->lru_lock", false, one),
                new TraceRow(7, 1, Kind.IRQ_EXIT, Site.of("interrupt", "irq_exit()"), Access.LOCAL, "cpu1", true, one),
                new TraceRow(8, 1, Kind.STEP, free, Access.WRITE, "page 7", false, zero)));
        Finding f = new Finding(FindingKind.DOUBLE_FREE, 7, 1, free, "page freed twice",
                List.of(new Finding.Related(Finding.ROOT_CAUSE, 0, get)), Map.of(), "");
        String svg = LaneDiagram.svg(t, f, pfn -> "P");

        assertThat(svg).contains("data-cpu=\"0\"").contains("data-cpu=\"1\"");
        assertThat(count(svg, "class=\"lock-span\"")).isEqualTo(1);
        // rows numbered as shown: the two steps of the busy handler are one row, 5, so 9 rows are 8
        assertThat(svg).contains("cpu0 holds Normal-&gt;lru_lock, rows 1..6");
        assertThat(count(svg, "class=\"irq-span\"")).isEqualTo(1);
        assertThat(svg).contains("interrupt on cpu1, rows 3..7");
        assertThat(svg).contains("interrupt: handler work (2 steps)").contains("data-row=\"8\"")
                .doesNotContain("data-row=\"9\"");
        assertThat(svg).contains("interrupt: arrives").contains("interrupt: returns").doesNotContain("enter handler");
        assertThat(svg).contains("step access-write mark-fail").contains("step access-write mark-root");
        assertThat(svg).contains("\u25B2 root cause: shrink_cache: page_cache_get(page)");
        assertThat(svg).contains("count(P)");
        assertThat(count(svg, "class=\"count-value")).as("values written where the count changes: 1, 0, 1, 0").isEqualTo(4);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
