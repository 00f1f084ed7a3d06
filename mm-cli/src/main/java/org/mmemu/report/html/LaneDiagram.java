package org.mmemu.report.html;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Finding;
import org.mmemu.engine.Trace;
import org.mmemu.engine.TraceRow;
import org.mmemu.scenario.run.TraceFold;
import org.mmemu.scenario.run.Traces;

/**
 * A trace drawn the way the seed mail draws CPUA and CPUB: one lane per CPU, time going down,
 * one box per row labelled with the kernel function and statement. Beside the boxes:
 * <ul>
 * <li>lock hold spans, a bar at the lane's left edge from a CPU's {@code LOCK} row on a target
 * to its {@code UNLOCK} row on the same target (or the end of the trace);</li>
 * <li>interrupt spans, the lane shaded from {@code IRQ_ENTER} to {@code IRQ_EXIT};</li>
 * <li>each watched page's count after every row, as a step line in a column of its own right of
 * the lanes, with the value written where it changes (bold where PG_lru is set);</li>
 * <li>marks: the failing step (red), the root cause the detectors named (orange: for a double
 * free, the get that took the count from zero) and the first free (purple).</li>
 * </ul>
 * A mark is put on the last row of the finding's CPU at the finding's site that is not after
 * the failing row; when the site never shows as a row (the detector may name the caller's
 * site), on that CPU's last row before it.
 *
 * <p>Output is an SVG element for inline use in HTML; every label is escaped.
 */
final class LaneDiagram {
    static final int ROW_H = 22;
    static final int LANE_W = 420;
    static final int GAP = 24;
    static final int LEFT = 44;
    static final int TOP = 40;
    static final int PAGE_W = 90;
    /** The most rows drawn; a longer trace shows its last rows, where the finding is. */
    static final int MAX_ROWS = 600;

    private LaneDiagram() {
    }

    /** The SVG of {@code trace} with {@code finding}'s marks (finding may be null). */
    static String svg(Trace trace, Finding finding, LongFunction<String> pageNames) {
        return svg(trace, finding == null ? List.of() : List.of(finding), pageNames);
    }

    /**
     * The SVG of {@code trace} with the marks of every finding in {@code findings} (those found
     * on this one interleaving), on the rows the text report marks ({@link Traces#marks}), rows
     * numbered and folded as the text numbers and folds them ({@link TraceFold}).
     */
    static String svg(Trace trace, List<Finding> findings, LongFunction<String> pageNames) {
        List<TraceRow> all = trace.rows();
        Map<Integer, List<Traces.Mark>> allMarks = Traces.marks(all, findings, pageNames);
        TraceFold fold = TraceFold.ofRows(all, allMarks.keySet());
        int from = Math.max(0, all.size() - MAX_ROWS);
        List<TraceRow> rows = all.subList(from, all.size());
        Map<Integer, List<Traces.Mark>> marks = new HashMap<>();
        allMarks.forEach((i, m) -> {
            if (i >= from) {
                marks.put(i - from, m);
            }
        });
        int[] number = java.util.Arrays.copyOfRange(fold.number(), from, all.size());
        int[] steps = java.util.Arrays.copyOfRange(fold.steps(), from, all.size());
        int cpus = 1;
        for (TraceRow r : rows) {
            cpus = Math.max(cpus, r.cpu() + 1);
        }
        // Pages watched during the run (alloc_pages as:, a finding's page) join the end of the
        // watch list, so the longest row's list names every column, in order.
        List<Long> pfns = new ArrayList<>();
        for (TraceRow r : rows) {
            if (r.pages().size() > pfns.size()) {
                pfns.clear();
                r.pages().forEach(p -> pfns.add(p.pfn()));
            }
        }
        int lanesEnd = LEFT + cpus * (LANE_W + GAP);
        int width = lanesEnd + pfns.size() * PAGE_W + 10;
        int[] y = tops(number);
        int height = y[rows.size()] + 20;

        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "<svg class=\"lanes\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
                width, height, width, height));
        b.append("<title>").append(Html.text(cpus + " CPUs, " + all.size() + " steps"
                + (from > 0 ? ", last " + rows.size() + " shown" : ""))).append("</title>\n");
        for (int c = 0; c < cpus; c++) {
            int x = laneX(c);
            b.append(String.format(Locale.ROOT, "<g class=\"lane\" data-cpu=\"%d\">%n", c));
            b.append(String.format(Locale.ROOT,
                    "<rect class=\"lane-bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n",
                    x, TOP - 6, LANE_W, y[rows.size()] - TOP + 10));
            b.append(String.format(Locale.ROOT,
                    "<text class=\"lane-title\" x=\"%d\" y=\"%d\">cpu%d</text>%n", x + LANE_W / 2, TOP - 14, c));
            irqSpans(b, rows, y, c, number);
            lockSpans(b, rows, y, c, number);
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).cpu() == c && number[i] > 0) {
                    box(b, rows.get(i), y, i, number[i], steps[i], marks.get(i));
                }
            }
            b.append("</g>\n");
        }
        for (int i = 0; i < rows.size(); i++) {
            if (number[i] > 0) {
                b.append(String.format(Locale.ROOT, "<text class=\"row-no\" x=\"%d\" y=\"%d\">%d</text>%n",
                        LEFT - 6, y[i] + 15, number[i]));
            }
        }
        for (int k = 0; k < pfns.size(); k++) {
            counts(b, rows, y, k, lanesEnd + k * PAGE_W, pageNames.apply(pfns.get(k)));
        }
        b.append("</svg>\n");
        return b.toString();
    }

    static int laneX(int cpu) {
        return LEFT + cpu * (LANE_W + GAP);
    }

    /** The top of each row, and one past the last: a row folded into another has no height. */
    static int[] tops(int[] number) {
        int[] y = new int[number.length + 1];
        y[0] = TOP;
        for (int i = 0; i < number.length; i++) {
            y[i + 1] = y[i] + (number[i] > 0 ? ROW_H : 0);
        }
        return y;
    }

    private static void box(StringBuilder b, TraceRow r, int[] y, int i, int number, int steps,
                            List<Traces.Mark> marks) {
        int x = laneX(r.cpu()) + 16;
        int w = LANE_W - 22;
        StringBuilder markClasses = new StringBuilder();
        String kind = null;
        for (String k : List.of("fail", "root", "related")) {
            if (marks != null && marks.stream().anyMatch(m -> m.kind().equals(k))) {
                markClasses.append(" mark-").append(k);
                kind = kind == null ? k : kind;
            }
        }
        String cls = "step " + r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " access-" + r.access().name().toLowerCase(Locale.ROOT) + (steps > 1 ? " folded" : "") + markClasses;
        String label;
        if (r.kind() == TraceRow.Kind.IRQ_ENTER || r.kind() == TraceRow.Kind.IRQ_EXIT) {
            // the text's words: the interrupt arrives, the interrupt returns
            label = r.kind() == TraceRow.Kind.IRQ_ENTER ? "interrupt: arrives" : "interrupt: returns";
        } else {
            String fn = r.site() == null ? "?" : r.site().function();
            String st = r.site() == null ? "" : r.site().statement();
            label = fn + ": " + st + (r.kind() == TraceRow.Kind.SPIN ? " (spins)" : "");
        }
        if (steps > 1) {
            label = label + " (" + steps + " steps)";
        }
        String full = number + " cpu" + r.cpu() + (r.inInterrupt() ? " (irq)" : "") + " " + label
                + (r.site() == null ? "" : " [" + r.access() + " " + r.target() + "]");
        if (marks != null) {
            full = full + " \u2014 " + String.join("; ", marks.stream().map(Traces.Mark::text).toList());
        }
        String tag = kind == null ? "" : switch (kind) {
            case "fail" -> "\u2716 ";
            case "root" -> "\u25B2 root cause: ";
            default -> "\u25CF " + marks.stream().filter(m -> m.kind().equals("related")).findFirst()
                    .map(m -> m.text().replaceAll(" \\(.*", "")).orElse("") + ": ";
        };
        b.append(String.format(Locale.ROOT,
                "<g class=\"%s\" data-row=\"%d\"><title>%s</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>"
                        + "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text></g>%n",
                cls, number, Html.text(full), x, y[i] + 1, w, ROW_H - 3, x + 5, y[i] + 15,
                Html.middleText(tag + label, 58)));
    }

    private static void irqSpans(StringBuilder b, List<TraceRow> rows, int[] y, int cpu, int[] number) {
        int start = -1;
        for (int i = 0; i < rows.size(); i++) {
            TraceRow r = rows.get(i);
            if (r.cpu() != cpu) {
                continue;
            }
            if (r.kind() == TraceRow.Kind.IRQ_ENTER) {
                start = i;
            } else if (r.kind() == TraceRow.Kind.IRQ_EXIT && start >= 0) {
                irqRect(b, y, cpu, start, i, number);
                start = -1;
            }
        }
        if (start >= 0) {
            irqRect(b, y, cpu, start, rows.size() - 1, number);
        }
    }

    private static void irqRect(StringBuilder b, int[] y, int cpu, int from, int to, int[] number) {
        b.append(String.format(Locale.ROOT,
                "<rect class=\"irq-span\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>interrupt on cpu%d,"
                        + " rows %d..%d</title></rect>%n",
                laneX(cpu) + 2, y[from], LANE_W - 4, y[to + 1] - y[from], cpu, shown(number, from),
                shown(number, to)));
    }

    /** Bars for the spans this CPU holds each lock, one column per lock target. */
    private static void lockSpans(StringBuilder b, List<TraceRow> rows, int[] y, int cpu, int[] number) {
        Map<String, Integer> column = new LinkedHashMap<>();
        Map<String, Integer> heldFrom = new HashMap<>();
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TraceRow r = rows.get(i);
            if (r.cpu() != cpu || r.kind() != TraceRow.Kind.STEP) {
                continue;
            }
            if (r.access() == Access.LOCK) {
                column.putIfAbsent(r.target(), column.size());
                heldFrom.putIfAbsent(r.target(), i);
            } else if (r.access() == Access.UNLOCK && heldFrom.containsKey(r.target())) {
                spans.add(new int[] {column.get(r.target()), heldFrom.remove(r.target()), i});
                names.add(r.target());
            }
        }
        heldFrom.forEach((t, from) -> {
            spans.add(new int[] {column.get(t), from, rows.size() - 1});
            names.add(t);
        });
        for (int k = 0; k < spans.size(); k++) {
            int[] s = spans.get(k);
            b.append(String.format(Locale.ROOT,
                    "<rect class=\"lock-span\" x=\"%d\" y=\"%d\" width=\"5\" height=\"%d\"><title>cpu%d holds %s,"
                            + " rows %d..%d</title></rect>%n",
                    laneX(cpu) + 4 + 6 * Math.min(s[0], 1), y[s[1]] + 2, y[s[2] + 1] - y[s[1]] - 4, cpu,
                    Html.text(names.get(k)), shown(number, s[1]), shown(number, s[2])));
        }
    }

    /** The number shown for row {@code i}: its own, or that of the row it is folded into. */
    private static int shown(int[] number, int i) {
        for (int k = i; k >= 0; k--) {
            if (number[k] > 0) {
                return number[k];
            }
        }
        return 1;
    }

    /** Page {@code k}'s count after each row: a step line, and the value where it changes. */
    private static void counts(StringBuilder b, List<TraceRow> rows, int[] y, int k, int x, String name) {
        int max = 1;
        for (TraceRow r : rows) {
            if (k < r.pages().size()) {
                max = Math.max(max, r.pages().get(k).count());
            }
        }
        int plotW = PAGE_W - 40;
        b.append("<g class=\"count\">\n");
        b.append(String.format(Locale.ROOT, "<text class=\"lane-title\" x=\"%d\" y=\"%d\">count(%s)</text>%n",
                x + PAGE_W / 2, TOP - 14, Html.shortText(name, 12)));
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                x + 8, TOP - 4, x + 8, y[rows.size()]));
        StringBuilder pts = new StringBuilder();
        Integer prev = null;
        Boolean prevLru = null;
        for (int i = 0; i < rows.size(); i++) {
            if (k >= rows.get(i).pages().size() || y[i + 1] == y[i]) {
                continue;
            }
            TraceRow.PageState p = rows.get(i).pages().get(k);
            int cx = x + 8 + Math.max(0, p.count()) * plotW / max;
            pts.append(cx).append(',').append(y[i]).append(' ').append(cx).append(',').append(y[i + 1]).append(' ');
            // written where the count or PG_lru changes
            if (prev == null || prev != p.count() || prevLru != p.lru()) {
                b.append(String.format(Locale.ROOT,
                        "<text class=\"count-value%s\" x=\"%d\" y=\"%d\">%d%s</text>%n", p.lru() ? " lru" : "",
                        x + plotW + 14, y[i] + Math.min(15, y[i + 1] - y[i] + 12), p.count(), p.lru() ? " L" : ""));
            }
            prev = p.count();
            prevLru = p.lru();
        }
        b.append("<polyline class=\"count-line\" points=\"").append(pts.toString().trim()).append("\"/>\n");
        b.append("</g>\n");
    }
}
