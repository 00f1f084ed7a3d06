package org.mmemu.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A schedule of the controlled engine as a compact string that a user can paste on a command
 * line, and that replays to the identical trace ({@link org.mmemu.engine.control.Explorer#replay}).
 *
 * <p><b>What it records.</b> The order in which CPUs took their rows (steps, and spins of a CPU
 * waiting for a lock) and where interrupts arrived. Each row either follows the delay model's
 * <em>default rule</em> or names its CPU; only the departures are written out, so a schedule is
 * as long as its number of context switches, not its number of steps. The default rule:
 * <ul>
 * <li>{@code any}: the CPU of the previous row goes on if it can; otherwise the lowest-numbered
 *     CPU that can (at the start: CPU 0).</li>
 * <li>{@code irq}: the next unfinished CPU after the previous row's, in round-robin order of CPU
 *     ids (at the start: CPU 0); a CPU waiting for a lock takes its turn as a spin.</li>
 * </ul>
 *
 * <p><b>Grammar.</b>
 * <pre>
 *   schedule := model ':' [ token ( ',' token )* ]
 *   model    := 'any' | 'irq'
 *   token    := CPU [ 'x' N ]      the next N rows (default 1) are taken by CPU (a spin if it waits for a lock)
 *             | 'd' N              the next N rows follow the default rule
 *             | 'i' K [ '/' D ]    interrupt K (index into Program.interrupts()) arrives now on its CPU;
 *                                  D = its handler's length in steps when not the spec's own
 *                                  (a busy handler of exact length, a scenario's steps: N, has no other)
 * </pre>
 * After the last token the default rule runs the program to its end. Examples: {@code any:}
 * (CPU 0 runs to completion, then CPU 1, ...), {@code any:d2,1,d3,0} (CPU 0 takes two steps, CPU 1
 * preempts it for three, CPU 0 goes on), {@code irq:0x3,i0} (CPU 1 starts three steps late, then
 * interrupt 0 arrives). The characters used need no quoting in a POSIX shell.
 *
 * <p><b>Replay is lenient</b> so that shrinking can edit schedules freely: a token naming a
 * finished CPU follows the default rule instead, and an interrupt whose CPU has irqs off (or that
 * arrived {@code max} times) is skipped. The schedule an engine reports is always the canonical
 * one recorded from the run itself, which replays exactly.
 */
public final class Schedule {
    /** One token of a schedule. */
    public record Token(Kind kind, int value, int count) {
        /** What a token says. */
        public enum Kind {
            /** {@code value} takes the next {@code count} rows. */
            CPU,
            /** The next {@code count} rows follow the default rule. */
            DEFAULT,
            /** Interrupt {@code value} arrives; {@code count} handler steps, or -1 for the spec's own. */
            IRQ
        }

        @Override
        public String toString() {
            return switch (kind) {
                case CPU -> count == 1 ? Integer.toString(value) : value + "x" + count;
                case DEFAULT -> "d" + count;
                case IRQ -> count < 0 ? "i" + value : "i" + value + "/" + count;
            };
        }
    }

    private final DelayModel model;
    private final List<Token> tokens;

    public Schedule(DelayModel model, List<Token> tokens) {
        this.model = model;
        this.tokens = List.copyOf(tokens);
    }

    public DelayModel model() {
        return model;
    }

    public List<Token> tokens() {
        return tokens;
    }

    /** Parses a schedule string; throws {@link IllegalArgumentException} with the bad token named. */
    public static Schedule parse(String s) {
        String text = s.trim();
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("schedule '" + s + "' lacks its model prefix (any: or irq:)");
        }
        DelayModel model = DelayModel.byId(text.substring(0, colon));
        List<Token> out = new ArrayList<>();
        String rest = text.substring(colon + 1);
        if (!rest.isEmpty()) {
            for (String t : rest.split(",", -1)) {
                out.add(parseToken(t, s));
            }
        }
        return new Schedule(model, out);
    }

    private static Token parseToken(String t, String whole) {
        try {
            if (t.startsWith("d")) {
                return new Token(Token.Kind.DEFAULT, 0, positive(t.substring(1)));
            }
            if (t.startsWith("i")) {
                int slash = t.indexOf('/');
                if (slash < 0) {
                    return new Token(Token.Kind.IRQ, Integer.parseInt(t.substring(1)), -1);
                }
                int d = Integer.parseInt(t.substring(slash + 1));
                if (d < 0) {
                    throw new NumberFormatException();
                }
                return new Token(Token.Kind.IRQ, Integer.parseInt(t.substring(1, slash)), d);
            }
            int x = t.indexOf('x');
            int cpu = Integer.parseInt(x < 0 ? t : t.substring(0, x));
            if (cpu < 0) {
                throw new NumberFormatException();
            }
            return new Token(Token.Kind.CPU, cpu, x < 0 ? 1 : positive(t.substring(x + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad token '" + t + "' in schedule '" + whole
                    + "' (expected CPU, CPUxN, dN, iK or iK/D)");
        }
    }

    private static int positive(String n) {
        int v = Integer.parseInt(n);
        if (v < 1) {
            throw new NumberFormatException();
        }
        return v;
    }

    /** Rows whose CPU is named (departures from the default rule) plus interrupts. */
    public int departures() {
        int n = 0;
        for (Token t : tokens) {
            n += t.kind() == Token.Kind.CPU ? t.count() : t.kind() == Token.Kind.IRQ ? 1 : 0;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(model.id()).append(':');
        for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(tokens.get(i));
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && s.model == model && s.tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + tokens.hashCode();
    }

    /**
     * Builds the canonical schedule of a run from its rows and interrupts, as they happen. Public
     * for the engine's run package ({@code org.mmemu.engine.run.Execution}), its one user.
     */
    public static final class Recorder {
        private final DelayModel model;
        private final List<Token> tokens = new ArrayList<>();
        private Token.Kind kind;
        private int value;
        private int count;

        public Recorder(DelayModel model) {
            this.model = model;
        }

        /** A row taken by {@code cpu}; {@code byDefault} if the default rule chose that CPU. */
        public void row(int cpu, boolean byDefault) {
            if (byDefault) {
                extend(Token.Kind.DEFAULT, 0);
            } else {
                extend(Token.Kind.CPU, cpu);
            }
        }

        /** Interrupt {@code k} arrived; returns the token's position for {@link #irqDuration}. */
        public int irq(int k, int duration) {
            flush();
            tokens.add(new Token(Token.Kind.IRQ, k, duration));
            return tokens.size() - 1;
        }

        /** Sets the handler length of the interrupt recorded at {@code at}, once its handler has returned. */
        public void irqDuration(int at, int duration) {
            Token t = tokens.get(at);
            tokens.set(at, new Token(Token.Kind.IRQ, t.value(), duration));
        }

        private void extend(Token.Kind k, int v) {
            if (kind == k && value == v) {
                count++;
                return;
            }
            flush();
            kind = k;
            value = v;
            count = 1;
        }

        private void flush() {
            if (kind != null) {
                tokens.add(new Token(kind, value, count));
                kind = null;
            }
        }

        /** The schedule so far, without trailing default rows (replay adds them by itself). */
        public Schedule schedule() {
            List<Token> out = new ArrayList<>(tokens);
            if (kind != null && kind != Token.Kind.DEFAULT) {
                out.add(new Token(kind, value, count));
            }
            while (!out.isEmpty() && out.get(out.size() - 1).kind() == Token.Kind.DEFAULT) {
                out.remove(out.size() - 1);
            }
            return new Schedule(model, out);
        }
    }
}
