package org.mmemu.engine.run;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.engine.Trace;
import org.mmemu.engine.TraceRow;

/**
 * The rows of a traced execution. A row is opened when a step is granted and closed at the
 * next gate (or at the end), when the step and the local code after it have run: only then do
 * the watched pages show the state after the step. An untraced execution opens nothing, so
 * {@link #close} is one null test per gate.
 */
final class TraceRows {
    private final boolean record;
    private final List<TraceRow> rows = new ArrayList<>();
    private Machine machine;
    private Slot openSlot;
    private TraceRow.Kind openKind;
    private Site openSite;
    private Access openAccess;
    private Object openTarget;
    private boolean openIrq;

    TraceRows(boolean record) {
        this.record = record;
    }

    /** The machine whose watched pages each row shows (known once the program has booted). */
    void watch(Machine m) {
        this.machine = m;
    }

    void open(Slot s, TraceRow.Kind kind, Site site, Access access, Object target) {
        if (!record) {
            return;
        }
        openSlot = s;
        openKind = kind;
        openSite = site;
        openAccess = access;
        openTarget = target;
        openIrq = s.cpu.inInterrupt();
    }

    void close() {
        if (openSlot == null) {
            return;
        }
        List<TraceRow.PageState> pages = new ArrayList<>();
        for (Page p : machine.watched()) {
            pages.add(new TraceRow.PageState(p.pfn(), p.count(), p.hasFlag(PageFlags.PG_lru)));
        }
        rows.add(new TraceRow(rows.size(), openSlot.cpu.id(), openKind, openSite, openAccess,
                describe(openTarget), openIrq, pages));
        openSlot = null;
    }

    /** The trace, or null when the execution was not traced. */
    Trace trace() {
        return record ? new Trace(rows) : null;
    }

    /** A description of a step's target that names no object identity, so traces hash stably. */
    static String describe(Object target) {
        if (target == null) {
            return "-";
        }
        if (target instanceof Page p) {
            return "page " + p.pfn();
        }
        if (target instanceof SpinLock l) {
            return l.name();
        }
        if (target instanceof String s) {
            return s;
        }
        String s = target.toString();
        String identity = target.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(target));
        return s.equals(identity) ? target.getClass().getSimpleName() : s;
    }
}
