package org.mmemu.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.RunResult;
import org.mmemu.report.TraceFormatter;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;
import org.mmemu.scenario.run.TraceLine;
import org.mmemu.scenario.run.Traces;

/**
 * Issue 25 item 4: the HTML's marks sit on the rows the text trace marks, numbered as the text
 * numbers them. The seed race's double free under mm1 (the golden schedule) has both findings on
 * one interleaving: the use-after-free and the double free fail on cpu0, the root cause is cpu1's
 * {@code page_cache_get}, and cpu1's free ({@code freed}, {@code first free}) is the first row of
 * {@code __free_pages_ok} on cpu1, not the {@code local_irq_enable: sti} before it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LaneMarksTest {
    private static final Pattern BOX = Pattern.compile("<g class=\"([^\"]*)\" data-row=\"(\\d+)\"><title>([^<]*)</title>");
    private static final Pattern TEXT_ROW = Pattern.compile("^\\s*(\\d+)  (.*)$");

    @Test
    void eachMarkOfTheDiagramSitsOnTheRowTheTextMarks() {
        ScenarioProgram p = new ScenarioProgram(Scenarios.standard().resolve("seed-race"), "mm1", KernelWiring.standard());
        RunResult r = Traces.replay(p, "irq:1x11,d10,i0", ExploreOptions.defaults()) /* SeedRaceGoldenTraceTest.SCHEDULE */;
        assertThat(r.findings()).hasSize(2);
        String text = new TraceFormatter().format(Traces.lines(p, r.trace(), r.findings()), 2, p.scenario().watch());
        String svg = LaneDiagram.svg(r.trace(), r.findings(), p::pageName);

        Map<Integer, TreeSet<String>> textMarks = new TreeMap<>();
        Map<Integer, String> textRows = new TreeMap<>();
        int last = 0;
        for (String line : text.lines().toList()) {
            Matcher m = TEXT_ROW.matcher(line);
            if (m.matches()) {
                last = Integer.parseInt(m.group(1));
                textRows.put(last, m.group(2).strip());
            }
            int at = line.indexOf("<== ");
            if (at >= 0) {
                for (String mark : line.substring(at + 4).split("; ")) {
                    textMarks.computeIfAbsent(last, k -> new TreeSet<>()).add(kind(mark));
                }
            }
        }
        Map<Integer, TreeSet<String>> svgMarks = new TreeMap<>();
        Map<Integer, String> svgTitles = new TreeMap<>();
        Matcher m = BOX.matcher(svg);
        while (m.find()) {
            int row = Integer.parseInt(m.group(2));
            svgTitles.put(row, m.group(3));
            for (String cls : m.group(1).split(" ")) {
                if (cls.startsWith("mark-")) {
                    svgMarks.computeIfAbsent(row, k -> new TreeSet<>()).add(cls.substring(5));
                }
            }
        }
        System.out.println("text marks " + textMarks + ", diagram marks " + svgMarks);
        assertThat(svgMarks).isEqualTo(textMarks);
        assertThat(svgTitles.keySet()).as("the same rows, numbered 1, 2, 3, ...").isEqualTo(textRows.keySet());
        assertThat(textRows.keySet()).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, textRows.size()).boxed().toList());

        // where each mark is
        int root = only(textMarks, "root");
        assertThat(textRows.get(root)).contains("shrink_cache: page_cache_get(page)");
        int freed = only(textMarks, "related");
        assertThat(textRows.get(freed)).contains("__free_pages_ok: BUG() checks");
        assertThat(svgTitles.get(freed)).contains("cpu1").contains("__free_pages_ok").doesNotContain("sti");
        assertThat(textMarks.entrySet().stream().filter(e -> e.getValue().contains("fail")).count())
                .as("the use-after-free and the double free each fail on a row of their own").isEqualTo(2);
        assertThat(svg).contains("\u25B2 root cause: shrink_cache: page_cache_get(page)")
                .contains("\u25CF freed: __free_pages_ok").contains("interrupt: arrives").doesNotContain("enter handler");
        // PG_lru is drawn where it changes, even when the count does not (TestClearPageLRU: 1 L -> 1)
        java.util.List<String> values = new java.util.ArrayList<>();
        Matcher v = Pattern.compile("class=\"count-value[^\"]*\"[^>]*>([^<]*)<").matcher(svg);
        while (v.find()) {
            values.add(v.group(1));
        }
        assertThat(values).startsWith("1 L", "1", "0");
        // the five list_add steps are told apart: their [k/5] is kept, the middle cut instead
        for (int k = 1; k <= 5; k++) {
            assertThat(svg).contains("[" + k + "/5");
        }
    }

    private static String kind(String mark) {
        return mark.startsWith("BUG:") ? "fail" : mark.startsWith("root cause") ? "root" : "related";
    }

    private static int only(Map<Integer, TreeSet<String>> marks, String kind) {
        var rows = marks.entrySet().stream().filter(e -> e.getValue().contains(kind)).map(Map.Entry::getKey).toList();
        assertThat(rows).as(kind).hasSize(1);
        return rows.get(0);
    }
}
