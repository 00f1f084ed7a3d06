package org.mmemu.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of fixed-width columns whose long cells wrap within their column (onto lines of their
 * own, the other columns blank), so that a long verdict never pushes the columns after it out
 * of line, and no line passes {@link #WIDTH} but for a single word longer than its column.
 */
final class TextTable {
    /** The widest line the text reports aim for. */
    static final int WIDTH = 120;

    private final int[] widths;
    private final boolean[] right;

    /**
     * @param widths each column's width; the last column's is what is left of {@link #WIDTH}
     *               when given as 0
     * @param right  which columns are right-aligned (numbers)
     */
    TextTable(int[] widths, boolean[] right) {
        this.widths = widths.clone();
        this.right = right.clone();
        int used = 0;
        for (int i = 0; i < widths.length - 1; i++) {
            used += widths[i] + 1;
        }
        if (this.widths[widths.length - 1] == 0) {
            this.widths[widths.length - 1] = Math.max(20, WIDTH - used);
        }
    }

    /** One row, as many lines as its longest cell needs, each ending in a newline. */
    String row(String... cells) {
        List<List<String>> wrapped = new ArrayList<>();
        int lines = 1;
        for (int i = 0; i < cells.length; i++) {
            List<String> l = lines(cells[i], widths[i]);
            wrapped.add(l);
            lines = Math.max(lines, l.size());
        }
        StringBuilder b = new StringBuilder();
        for (int line = 0; line < lines; line++) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                String part = line < wrapped.get(i).size() ? wrapped.get(i).get(line) : "";
                String pad = " ".repeat(Math.max(0, widths[i] - part.length()));
                l.append(i == 0 ? "" : " ").append(right[i] ? pad + part : i == cells.length - 1 ? part : part + pad);
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    /** {@code text} wrapped at spaces into lines of at most {@code width} (a longer word stays whole). */
    static List<String> lines(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (cur.length() > 0 && cur.length() + 1 + word.length() > width) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(cur.length() > 0 ? " " : "").append(word);
        }
        if (cur.length() > 0 || out.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** {@code text} wrapped at {@link #WIDTH}, lines after the first indented by {@code indent}. */
    static String wrap(String text, String indent) {
        return wrap(text, indent, 0);
    }

    /**
     * {@code text}, to be printed from column {@code column}, wrapped at {@link #WIDTH}, lines
     * after the first indented by {@code indent}.
     */
    static String wrap(String text, String indent, int column) {
        List<String> l = lines(text, WIDTH - Math.max(indent.length(), column));
        StringBuilder b = new StringBuilder(l.get(0));
        for (int i = 1; i < l.size(); i++) {
            b.append('\n').append(indent).append(l.get(i));
        }
        return b.toString();
    }
}
