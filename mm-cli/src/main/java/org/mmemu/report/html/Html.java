package org.mmemu.report.html;

/**
 * Escaping for text that goes into the report page. Every string that comes from outside this
 * package (a scenario's name, a page's name, a site's statement, a finding's message) passes
 * through {@link #text} before it is written, in element content and in attribute values alike:
 * the page is written by string concatenation, so escaping is the only thing between a scenario
 * file and the reader's browser.
 */
public final class Html {
    private Html() {
    }

    /**
     * {@code s} with {@code & < > " '} replaced by character references, and control
     * characters other than tab and newline dropped (they are not allowed in HTML text); safe in
     * element content and in quoted attribute values. Null reads as "".
     */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c >= 0x20 && c != 0x7f || c == '\t' || c == '\n') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** {@code s} cut to {@code max} characters with an ellipsis, then escaped. */
    public static String shortText(String s, int max) {
        if (s != null && s.length() > max) {
            s = s.substring(0, Math.max(1, max - 1)) + "\u2026";
        }
        return text(s);
    }

    /**
     * {@code s} escaped, at most {@code max} characters, cut in the middle where it is longer:
     * the start names the function, the end tells statements apart ({@code ... [3/5: new->prev = prev]}).
     */
    public static String middleText(String s, int max) {
        if (s != null && s.length() > max) {
            int head = Math.max(1, (max - 1) * 2 / 5);
            int tail = Math.max(1, max - 1 - head);
            s = s.substring(0, head) + "\u2026" + s.substring(s.length() - tail);
        }
        return text(s);
    }

    /** A number formatted for a table cell: three significant digits, or "0". */
    public static String num(double v) {
        if (v == 0) {
            return "0";
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000 || a < 0.001) {
            return String.format(java.util.Locale.ROOT, "%.2e", v);
        }
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
