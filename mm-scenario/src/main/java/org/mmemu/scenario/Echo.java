package org.mmemu.scenario;

/**
 * What messages echo of the user's input (a file name, a token, a key) is cut to {@link #MAX}
 * characters and kept on one line, so a pasted megabyte or a name full of newlines still gives a
 * one-line message.
 */
public final class Echo {
    /** The most characters of user input a message repeats. */
    public static final int MAX = 80;

    private Echo() {
    }

    /** {@code s} on one line, cut to {@link #MAX} characters with "..." when longer. */
    public static String cut(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(MAX + 1L).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.codePointCount(0, b.length()) > MAX ? b.substring(0, b.offsetByCodePoints(0, MAX - 3)) + "..." : b.toString();
    }
}
