package org.mmemu.engine.delay;

import org.mmemu.engine.hb.Footprint;

/**
 * What slips at one decision of the {@code irq} model would move its step past, as the run that
 * took the step at once saw it: how many of its CPU's following turns went by before another
 * CPU's row depended on the step. A slip, or a chain of slips at the same step, that moves the
 * step by no more turns than that reaches only states that the same slips at the CPU's next
 * shared step reach, at the same cost, so the search need not try it (docs/ARCHITECTURE.md §3,
 * "Slips only where order can change").
 *
 * <p>Filled in by the run that made the decision, turn by turn ({@link SlipWindows}); read by the
 * policy when it backtracks to the decision, long after that run ended. It holds no object of the
 * run, only counts.
 */
public final class SlipWindow {
    final int cpu;
    final Footprint step;
    /** The most turns the window watches: the longest chain of slips the bound allows. */
    private final int span;
    /** Whether the rows seen so far include one dependent on {@link #step}. */
    boolean dependent;
    /** The CPU's turns since the decision. */
    int turns;
    /** Turns that went by with no dependent row: a delay of the step by up to this many moves it past nothing. */
    private int independentTurns;
    /**
     * The CPU's writes since the decision (the step first, if it writes): what another CPU's row
     * may have observed. A read of the CPU's changes nothing another CPU can see, so it is not kept.
     */
    private final Footprint[] own;
    private int owned;

    /** Whether every slip here is redundant, as known at the decision ({@link #beforeContact}). */
    private final boolean beforeContact;

    SlipWindow(int cpu, Footprint step, int span) {
        this(cpu, step, span, false);
    }

    private SlipWindow(int cpu, Footprint step, int span, boolean beforeContact) {
        this.cpu = cpu;
        this.step = step;
        this.span = span;
        this.beforeContact = beforeContact;
        this.own = new Footprint[beforeContact ? 0 : span + 1];
    }

    /**
     * The window of a slip of {@code cpu} taken before the two CPUs of the run have met
     * ({@link Contact}), with no slip and no arrival of a busy handler that may end early on the
     * way: a slip of s turns here reaches the state that starting {@code cpu} one turn later
     * (free) and slipping s − 1 turns at the same step reaches, at the same cost, since the one
     * turn moves none of its rows past a dependent one; by induction on s (the shorter slip is
     * before the meeting and skipped the same way, or after it and explored), every slip here is
     * redundant within the bound, whatever the run that made the decision does next
     * (docs/ARCHITECTURE.md §3, "Slips before the CPUs meet").
     */
    static SlipWindow beforeContact(int cpu) {
        return new SlipWindow(cpu, null, 0, true);
    }

    /**
     * Whether the window was known whole at its decision ({@link #beforeContact}), so that any run
     * through the decision may carry it, not only one that took the step at once.
     */
    public boolean knownAtDecision() {
        return beforeContact;
    }

    /** The window's CPU takes a step (the decision's own step first); only its writes are kept. */
    void own(Footprint f) {
        if (!f.access().writes()) {
            return;
        }
        if (owned < own.length) {
            own[owned++] = f;
        } else {
            dependent = true; // more steps than turns watched: no longer followed, so no longer trusted
        }
    }

    /**
     * Whether another CPU's row {@code f} ends what the window can vouch for: it does not commute
     * with the step, or it touches what one of the CPU's writes since the decision wrote (it may
     * have observed it). From such a row on, the other CPU's rows in this run need not be those it
     * takes in a run where the CPU slips (and so takes none of them), which are the rows the slip
     * moves the step past.
     */
    boolean ends(Footprint f) {
        if (f.dependsOn(step)) {
            return true;
        }
        for (int i = 0; i < owned; i++) {
            if (f.dependsOn(own[i])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a slip of {@code s} turns here need not be explored, when the path keeps
     * {@code budgetAfter} of the preemption bound after it, each unit a further slip of at most
     * {@code skew} turns that could move the same step on (the longest chain the subtree holds).
     */
    public boolean redundant(int s, int skew, int budgetAfter) {
        if (beforeContact) {
            return s > 0 && budgetAfter >= 0;
        }
        return s > 0 && budgetAfter >= 0 && s + (long) skew * budgetAfter <= independentTurns;
    }

    /** The CPU's next turn has come: one more turn of rows seen. */
    void turn() {
        turns++;
        if (!dependent) {
            independentTurns = turns;
        }
    }

    boolean closed() {
        return dependent || turns >= span;
    }
}
