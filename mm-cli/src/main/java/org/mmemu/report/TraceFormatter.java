package org.mmemu.report;

import org.mmemu.scenario.run.TraceFold;
import org.mmemu.scenario.run.TraceLine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Draws a trace the way the seed mail draws CPUA and CPUB: one column per CPU, one row per step
 * (numbered from 1, as the HTML report numbers them), the step written in the column of the CPU
 * that made it ({@code function: statement}, marked {@code [irq]} inside a handler, wrapped onto
 * more lines rather than cut when it is long), then each watched page's count and PG_lru after
 * the step, and an arrow at the finding's failing and root-cause rows.
 *
 * <pre>
 *   #  cpu0                             cpu1                                    P count  P lru
 *   1                                   shrink_cache: spin_lock_irq(lru_lock)         1      1
 *   5  __pagevec_release: put_page...                                                 0      0
 * </pre>
 */
public final class TraceFormatter {
    /** The widest line a trace aims for (a mark that does not fit goes on lines of its own). */
    public static final int WIDTH = 120;

    private final int maxColumn;

    /** A formatter whose CPU columns are at most {@code maxColumn} characters wide. */
    public TraceFormatter(int maxColumn) {
        this.maxColumn = Math.max(12, maxColumn);
    }

    public TraceFormatter() {
        this(60);
    }

    /** The table of {@code rows} on a machine of {@code cpus} CPUs. */
    public String format(List<TraceLine> allRows, int cpus) {
        return format(allRows, cpus, List.of());
    }

    /**
     * The table of {@code rows}, the page columns in {@code pageOrder} (a file's {@code watch:})
     * first, then the others in the order they appear.
     */
    public String format(List<TraceLine> allRows, int cpus, List<String> pageOrder) {
        // Rows numbered as shown, 1, 2, 3, ...; a stretch where only a busy handler or a spinning
        // CPU advances is one row saying how many steps it stood for (TraceFold, as the HTML does).
        TraceFold fold = TraceFold.ofLines(allRows);
        List<TraceLine> rows = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        java.util.Map<TraceLine, Integer> runs = new java.util.IdentityHashMap<>();
        for (int i = 0; i < allRows.size(); i++) {
            if (fold.number()[i] > 0) {
                rows.add(allRows.get(i));
                numbers.add(fold.number()[i]);
                runs.put(allRows.get(i), fold.steps()[i]);
            }
        }
        Set<String> present = new LinkedHashSet<>();
        rows.forEach(r -> r.pages().forEach(p -> present.add(p.page())));
        Set<String> pages = new LinkedHashSet<>();
        pageOrder.stream().filter(present::contains).forEach(pages::add);
        pages.addAll(present);
        int stepWidth = Math.max(1, String.valueOf(rows.size()).length());
        // The CPU columns share what the step and page columns leave of the line's width.
        int pageCols = 0;
        for (String p : pages) {
            pageCols += 2 + (p + " count").length() + 2 + (p + " lru").length();
        }
        int column = Math.min(maxColumn, Math.max(24, (WIDTH - stepWidth - pageCols) / Math.max(1, cpus) - 2));
        int[] width = new int[cpus];
        for (int c = 0; c < cpus; c++) {
            width[c] = ("cpu" + c).length();
        }
        List<List<String>> cells = new ArrayList<>();
        for (TraceLine r : rows) {
            String t = text(r);
            Integer n = runs.get(r);
            if (n != null && n > 1) {
                t = t + " (" + n + " steps)";
            }
            List<String> wrapped = wrap(t, column);
            cells.add(wrapped);
            if (r.cpu() >= 0 && r.cpu() < cpus) {
                for (String w : wrapped) {
                    width[r.cpu()] = Math.max(width[r.cpu()], w.length());
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(pad("#", stepWidth, true));
        for (int c = 0; c < cpus; c++) {
            b.append("  ").append(pad("cpu" + c, width[c], false));
        }
        for (String p : pages) {
            b.append("  ").append(p).append(" count  ").append(p).append(" lru");
        }
        b.append('\n');
        List<String> pendingMarks = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TraceLine r = rows.get(i);
            List<String> wrapped = cells.get(i);
            for (int k = 0; k < wrapped.size(); k++) {
                StringBuilder line = new StringBuilder();
                line.append(pad(k == 0 ? String.valueOf(numbers.get(i)) : "", stepWidth, true));
                for (int c = 0; c < cpus; c++) {
                    line.append("  ").append(pad(c == r.cpu() ? wrapped.get(k) : "", width[c], false));
                }
                for (String p : pages) {
                    TraceLine.PageState st = k > 0 ? null
                            : r.pages().stream().filter(x -> x.page().equals(p)).findFirst().orElse(null);
                    String count = st == null ? "" : String.valueOf(st.count());
                    String lru = st == null ? "" : st.lru() ? "1" : "0";
                    line.append("  ").append(pad(count, (p + " count").length(), true))
                            .append("  ").append(pad(lru, (p + " lru").length(), true));
                }
                String text = stripRight(line);
                if (k == 0 && !r.mark().isEmpty()) {
                    String mark = "<== " + r.mark();
                    if (text.length() + 2 + mark.length() <= WIDTH) {
                        text = text + "  " + mark;
                    } else {
                        // past the line's width: on lines of its own under the row, ending at the width
                        for (String m : wrapMark(mark)) {
                            pendingMarks.add(m);
                        }
                    }
                }
                b.append(text).append('\n');
                if (k == wrapped.size() - 1) {
                    for (String m : pendingMarks) {
                        b.append(" ".repeat(Math.max(0, WIDTH - m.length()))).append(m).append('\n');
                    }
                    pendingMarks.clear();
                }
            }
        }
        return b.toString();
    }

    /** A mark too long for the end of its row, in lines of at most half the width. */
    private static List<String> wrapMark(String mark) {
        List<String> out = new ArrayList<>();
        String rest = mark;
        int w = WIDTH - 20;
        while (rest.length() > w) {
            int cut = rest.lastIndexOf(' ', w);
            cut = cut < w / 2 ? w : cut;
            out.add(rest.substring(0, cut).stripTrailing());
            rest = "    " + rest.substring(cut).strip();
        }
        out.add(rest);
        return out;
    }

    /**
     * {@code t} in lines of at most {@code maxColumn} characters, broken at a space, or after an
     * opening parenthesis or a comma, where it can be.
     */
    private static List<String> wrap(String t, int maxColumn) {
        List<String> out = new ArrayList<>();
        String rest = t;
        while (rest.length() > maxColumn) {
            int cut = -1;
            for (int i = maxColumn; i > maxColumn / 3 && cut < 0; i--) {
                char ch = rest.charAt(i - 1);
                if (rest.charAt(i) == ' ' || ch == '(' || ch == ',') {
                    cut = i;
                }
            }
            if (cut < 0) {
                cut = maxColumn;
            }
            out.add(rest.substring(0, cut).stripTrailing());
            rest = "  " + rest.substring(cut).strip();
        }
        out.add(rest);
        return out;
    }

    private static String text(TraceLine r) {
        return (r.inInterrupt() ? "[irq] " : "") + r.function() + ": " + r.statement();
    }

    private static String pad(String s, int w, boolean right) {
        if (s.length() >= w) {
            return s;
        }
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }

    private static String stripRight(StringBuilder s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }
}
