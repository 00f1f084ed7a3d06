package org.mmemu.report;

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
        // A busy interrupt handler is hundreds of identical rows: one row per run of them on a
        // CPU, saying how many steps it took, keeps the other CPU's rows readable.
        List<TraceLine> rows = new ArrayList<>();
        java.util.Map<TraceLine, Integer> runs = new java.util.IdentityHashMap<>();
        TraceLine[] openRun = new TraceLine[Math.max(cpus, 1)];
        for (TraceLine r : allRows) {
            boolean work = isHandlerWork(r);
            int c = r.cpu() >= 0 && r.cpu() < openRun.length ? r.cpu() : -1;
            if (work && c >= 0 && openRun[c] != null) {
                runs.merge(openRun[c], 1, Integer::sum);
                continue;
            }
            if (c >= 0) {
                openRun[c] = work ? r : null;
            }
            if (work) {
                runs.put(r, 1);
            }
            rows.add(r);
        }
        Set<String> present = new LinkedHashSet<>();
        rows.forEach(r -> r.pages().forEach(p -> present.add(p.page())));
        Set<String> pages = new LinkedHashSet<>();
        pageOrder.stream().filter(present::contains).forEach(pages::add);
        pages.addAll(present);
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
            List<String> wrapped = wrap(t);
            cells.add(wrapped);
            if (r.cpu() >= 0 && r.cpu() < cpus) {
                for (String w : wrapped) {
                    width[r.cpu()] = Math.max(width[r.cpu()], w.length());
                }
            }
        }
        int stepWidth = Math.max(1, String.valueOf(rows.isEmpty() ? 0 : rows.get(rows.size() - 1).step()).length());
        StringBuilder b = new StringBuilder();
        b.append(pad("#", stepWidth, true));
        for (int c = 0; c < cpus; c++) {
            b.append("  ").append(pad("cpu" + c, width[c], false));
        }
        for (String p : pages) {
            b.append("  ").append(p).append(" count  ").append(p).append(" lru");
        }
        b.append('\n');
        for (int i = 0; i < rows.size(); i++) {
            TraceLine r = rows.get(i);
            List<String> wrapped = cells.get(i);
            for (int k = 0; k < wrapped.size(); k++) {
                StringBuilder line = new StringBuilder();
                line.append(pad(k == 0 ? String.valueOf(r.step()) : "", stepWidth, true));
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
                if (k == 0 && !r.mark().isEmpty()) {
                    line.append("  <== ").append(r.mark());
                }
                b.append(stripRight(line)).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code t} in lines of at most the column width, broken at spaces where it can be. */
    private List<String> wrap(String t) {
        List<String> out = new ArrayList<>();
        String rest = t;
        while (rest.length() > maxColumn) {
            int cut = rest.lastIndexOf(' ', maxColumn);
            if (cut < maxColumn / 2) {
                cut = maxColumn;
            }
            out.add(rest.substring(0, cut).stripTrailing());
            rest = "  " + rest.substring(cut).strip();
        }
        out.add(rest);
        return out;
    }

    private static boolean isHandlerWork(TraceLine r) {
        return r.inInterrupt() && "interrupt".equals(r.function()) && "handler work".equals(r.statement());
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
