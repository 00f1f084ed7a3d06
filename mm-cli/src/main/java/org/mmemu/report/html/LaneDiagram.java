package org.mmemu.report.html;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.Site;
import org.mmemu.engine.Trace;
import org.mmemu.engine.TraceRow;

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
        List<TraceRow> all = trace.rows();
        int from = Math.max(0, all.size() - MAX_ROWS);
        List<TraceRow> rows = all.subList(from, all.size());
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
        int[] y = tops(rows);
        int height = y[rows.size()] + 20;

        Map<Integer, String> marks = marks(rows, finding);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "<svg class=\"lanes\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
                width, height, width, height));
        b.append("<title>").append(Html.text(cpus + " CPUs, " + all.size() + " rows"
                + (from > 0 ? ", last " + rows.size() + " shown" : ""))).append("</title>\n");
        for (int c = 0; c < cpus; c++) {
            int x = laneX(c);
            b.append(String.format(Locale.ROOT, "<g class=\"lane\" data-cpu=\"%d\">%n", c));
            b.append(String.format(Locale.ROOT,
                    "<rect class=\"lane-bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n",
                    x, TOP - 6, LANE_W, y[rows.size()] - TOP + 10));
            b.append(String.format(Locale.ROOT,
                    "<text class=\"lane-title\" x=\"%d\" y=\"%d\">cpu%d</text>%n", x + LANE_W / 2, TOP - 14, c));
            irqSpans(b, rows, y, c);
            lockSpans(b, rows, y, c);
            int run = -1;
            int runEnd = -1;
            int runSteps = 0;
            for (int i = 0; i < rows.size(); i++) {
                TraceRow r = rows.get(i);
                if (r.cpu() != c) {
                    continue;
                }
                if (filler(r) && !marks.containsKey(i)) {
                    run = run < 0 ? i : run;
                    runEnd = i;
                    runSteps++;
                    continue;
                }
                if (run >= 0) {
                    handlerBox(b, c, y, run, runEnd, runSteps);
                    run = -1;
                    runSteps = 0;
                }
                box(b, r, y, i, marks.get(i));
            }
            if (run >= 0) {
                handlerBox(b, c, y, run, runEnd, runSteps);
            }
            b.append("</g>\n");
        }
        for (int i = 0; i < rows.size(); i++) {
            if (!filler(rows.get(i))) {
                b.append(String.format(Locale.ROOT, "<text class=\"row-no\" x=\"%d\" y=\"%d\">%d</text>%n",
                        LEFT - 6, y[i] + 15, rows.get(i).index() + 1));
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

    /**
     * Rows of an interrupt handler that touch only the CPU's own state (a busy handler's steps, a
     * long handler's local work) are drawn thin, in one box per run of them: they are the
     * handler's length, not its content, and a 400-step handler would otherwise fill the page.
     */
    static final int FILLER_H = 3;

    static boolean filler(TraceRow r) {
        return r.kind() == TraceRow.Kind.STEP && r.inInterrupt() && r.access() == Access.LOCAL;
    }

    /** The top of each row, and one past the last: rows have their own heights. */
    static int[] tops(List<TraceRow> rows) {
        int[] y = new int[rows.size() + 1];
        y[0] = TOP;
        for (int i = 0; i < rows.size(); i++) {
            y[i + 1] = y[i] + (filler(rows.get(i)) ? FILLER_H : ROW_H);
        }
        return y;
    }

    /** Row position to mark class: fail, root, first-free. */
    static Map<Integer, String> marks(List<TraceRow> rows, Finding f) {
        Map<Integer, String> m = new HashMap<>();
        if (f == null || rows.isEmpty()) {
            return m;
        }
        int fail = find(rows, f.cpu(), f.site(), rows.size() - 1);
        if (fail < 0) {
            return m;
        }
        m.put(fail, "fail");
        for (Finding.Related r : f.related()) {
            int at = find(rows, r.cpu(), r.site(), fail - 1);
            if (at >= 0 && !m.containsKey(at)) {
                m.put(at, Finding.ROOT_CAUSE.equals(r.label()) ? "root" : "related");
            }
        }
        return m;
    }

    /** The last row at or before {@code upTo} of {@code cpu} at {@code site}, else that CPU's last row; -1 if none. */
    private static int find(List<TraceRow> rows, int cpu, Site site, int upTo) {
        int lastOfCpu = -1;
        for (int i = Math.min(upTo, rows.size() - 1); i >= 0; i--) {
            TraceRow r = rows.get(i);
            if (r.cpu() != cpu || r.kind() != TraceRow.Kind.STEP) {
                continue;
            }
            if (lastOfCpu < 0) {
                lastOfCpu = i;
            }
            if (site != null && Objects.equals(r.site(), site)) {
                return i;
            }
        }
        return lastOfCpu;
    }

    /** One box for a run of busy handler steps, rows {@code from..to} of the trace. */
    private static void handlerBox(StringBuilder b, int cpu, int[] y, int from, int to, int steps) {
        int x = laneX(cpu) + 16;
        b.append(String.format(Locale.ROOT,
                "<g class=\"step handler\"><title>interrupt handler on cpu%d: %d steps</title><rect x=\"%d\" y=\"%d\""
                        + " width=\"%d\" height=\"%d\" rx=\"3\"/><text class=\"label\" x=\"%d\" y=\"%d\">interrupt handler:"
                        + " %d steps</text></g>%n",
                cpu, steps, x, y[from] + 1, LANE_W - 22, Math.max(ROW_H - 3, y[to + 1] - y[from] - 2), x + 5,
                y[from] + 15, steps));
    }

    private static void box(StringBuilder b, TraceRow r, int[] y, int i, String mark) {
        int x = laneX(r.cpu()) + 16;
        int w = LANE_W - 22;
        String cls = "step " + r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " access-" + r.access().name().toLowerCase(Locale.ROOT) + (mark != null ? " mark-" + mark : "");
        String label;
        String full;
        if (r.kind() == TraceRow.Kind.IRQ_ENTER || r.kind() == TraceRow.Kind.IRQ_EXIT) {
            label = r.kind() == TraceRow.Kind.IRQ_ENTER ? "interrupt: enter handler" : "interrupt: exit handler";
            full = label;
        } else {
            String fn = r.site() == null ? "?" : r.site().function();
            String st = r.site() == null ? "" : r.site().statement();
            label = (r.kind() == TraceRow.Kind.SPIN ? "spin " : "") + fn + ": " + st;
            full = (r.index() + 1) + " cpu" + r.cpu() + (r.inInterrupt() ? " (irq)" : "") + " " + label + " ["
                    + r.access() + " " + r.target() + "]";
        }
        String tag = mark == null ? "" : switch (mark) {
            case "fail" -> "\u2716 ";
            case "root" -> "\u25B2 root cause: ";
            default -> "\u25CF ";
        };
        b.append(String.format(Locale.ROOT,
                "<g class=\"%s\"><title>%s</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>"
                        + "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text></g>%n",
                cls, Html.text(full), x, y[i] + 1, w, ROW_H - 3, x + 5, y[i] + 15,
                Html.shortText(tag + label, 58)));
    }

    private static void irqSpans(StringBuilder b, List<TraceRow> rows, int[] y, int cpu) {
        int start = -1;
        for (int i = 0; i < rows.size(); i++) {
            TraceRow r = rows.get(i);
            if (r.cpu() != cpu) {
                continue;
            }
            if (r.kind() == TraceRow.Kind.IRQ_ENTER) {
                start = i;
            } else if (r.kind() == TraceRow.Kind.IRQ_EXIT && start >= 0) {
                irqRect(b, rows, y, cpu, start, i);
                start = -1;
            }
        }
        if (start >= 0) {
            irqRect(b, rows, y, cpu, start, rows.size() - 1);
        }
    }

    private static void irqRect(StringBuilder b, List<TraceRow> rows, int[] y, int cpu, int from, int to) {
        b.append(String.format(Locale.ROOT,
                "<rect class=\"irq-span\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>interrupt on cpu%d,"
                        + " rows %d..%d</title></rect>%n",
                laneX(cpu) + 2, y[from], LANE_W - 4, y[to + 1] - y[from], cpu, rows.get(from).index() + 1,
                rows.get(to).index() + 1));
    }

    /** Bars for the spans this CPU holds each lock, one column per lock target. */
    private static void lockSpans(StringBuilder b, List<TraceRow> rows, int[] y, int cpu) {
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
                    Html.text(names.get(k)), rows.get(s[1]).index() + 1, rows.get(s[2]).index() + 1));
        }
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
        for (int i = 0; i < rows.size(); i++) {
            if (k >= rows.get(i).pages().size()) {
                continue;
            }
            TraceRow.PageState p = rows.get(i).pages().get(k);
            int cx = x + 8 + Math.max(0, p.count()) * plotW / max;
            pts.append(cx).append(',').append(y[i]).append(' ').append(cx).append(',').append(y[i + 1]).append(' ');
            if (prev == null || prev != p.count()) {
                b.append(String.format(Locale.ROOT,
                        "<text class=\"count-value%s\" x=\"%d\" y=\"%d\">%d%s</text>%n", p.lru() ? " lru" : "",
                        x + plotW + 14, y[i] + Math.min(15, y[i + 1] - y[i] + 12), p.count(), p.lru() ? " L" : ""));
            }
            prev = p.count();
        }
        b.append("<polyline class=\"count-line\" points=\"").append(pts.toString().trim()).append("\"/>\n");
        b.append("</g>\n");
    }
}
