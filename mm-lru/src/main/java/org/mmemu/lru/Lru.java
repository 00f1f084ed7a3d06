package org.mmemu.lru;

import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_lru;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;

/**
 * A machine's LRU state: one {@link ZoneLru} per zone (per-zone LRU, 2.5.31-mm1 and 2.5.33,
 * mm/page_alloc.c and include/linux/mmzone.h of patch 17) and the protocol the machine runs.
 * Kept as a {@link Machine#extension} so that mm-core does not know about it.
 *
 * <p>Kernel code receives only its {@link Cpu}, as kernel code only has the current processor;
 * the way from there to the machine's LRU is {@link #of(Cpu)}, a per-CPU pointer that
 * {@link #install} leaves on every CPU of the machine (no static state: each machine has its own).
 *
 * <p>Installing also adds the LRU's quiescent checks to the machine's detectors: a page on an
 * LRU list with a zero count is a {@code leak} (the zero-ref page the mail's fast-path proposal
 * leaves "to be mopped up in page reclaim"); a listed page without PG_lru, a page on the wrong
 * list for its PG_active, or {@code nr_active}/{@code nr_inactive} that disagree with the lists
 * are {@code accounting} findings.
 */
public final class Lru {
    private final Machine machine;
    private final ZoneLru[] zones;
    private final LruProtocol protocol;
    private final KernelProfile profile;

    private Lru(Machine machine, LruProtocol protocol) {
        this.machine = machine;
        this.protocol = protocol;
        this.profile = protocol.profile();
        this.zones = new ZoneLru[3];
        for (Zone z : machine.node().zones()) {
            zones[z.index()] = new ZoneLru(z, machine.detectors(), machine.cpus().size());
        }
    }

    /**
     * Attaches the LRU with {@code protocol} to {@code machine}; must be called once, at boot,
     * before any CPU runs. The protocol's count bias must match the machine's.
     */
    public static Lru install(Machine machine, LruProtocol protocol) {
        if (protocol.biasedCount() != machine.config().biasedCount()) {
            throw new IllegalArgumentException("protocol " + protocol.name() + " needs a machine with "
                    + (protocol.biasedCount() ? "" : "un") + "biased page counts");
        }
        boolean[] created = {false};
        Lru lru = machine.extension(Lru.class, m -> {
            created[0] = true;
            return new Lru(m, protocol);
        });
        if (lru.protocol != protocol) {
            throw new IllegalStateException("the machine already has an LRU with protocol " + lru.protocol.name());
        }
        if (created[0]) {
            for (Cpu cpu : machine.cpus()) {
                cpu.perCpu(Lru.class, c -> lru);
                cpu.setListDelPoisons(lru.profile.listDelPoisons());
            }
            machine.pageAlloc().setFreeChecks(lru.profile.freeChecks());
            machine.detectors().addQuiescentCheck(lru::checkQuiescent);
        }
        return lru;
    }

    /** The machine's LRU; {@link #install} must have been called. */
    public static Lru of(Machine machine) {
        Lru lru = machine.extensionOrNull(Lru.class);
        if (lru == null) {
            throw new IllegalStateException("no LRU installed on this machine (Lru.install)");
        }
        return lru;
    }

    /** The LRU of the machine {@code cpu} belongs to; {@link #install} must have been called. */
    public static Lru of(Cpu cpu) {
        return cpu.perCpu(Lru.class, c -> {
            throw new IllegalStateException("no LRU installed on the machine of " + c + " (Lru.install)");
        });
    }

    /** The machine this LRU belongs to (for its allocator and detectors). */
    public Machine machine() {
        return machine;
    }

    /** The protocol the machine runs. */
    public LruProtocol protocol() {
        return protocol;
    }

    /** The kernel the protocol runs as ({@link LruProtocol#profile()}, asked once at install). */
    public KernelProfile profile() {
        return profile;
    }

    /** The LRU of {@code zone}. */
    public ZoneLru zone(Zone zone) {
        return zones[zone.index()];
    }

    /** The LRU of the zone {@code page} lies in ({@code page_zone(page)}). */
    public ZoneLru zoneOf(Page page) {
        return zones[page.zone().index()];
    }

    /** Every zone's LRU, lowest zone first. */
    public java.util.List<ZoneLru> zones() {
        java.util.List<ZoneLru> l = new java.util.ArrayList<>();
        for (ZoneLru z : zones) {
            if (z != null) {
                l.add(z);
            }
        }
        return l;
    }

    /** The quiescent checks (see the class comment). Findings are reported, never thrown. */
    void checkQuiescent(Detectors d) {
        for (ZoneLru zl : zones()) {
            int active = checkList(d, zl, zl.activeList(), true);
            int inactive = checkList(d, zl, zl.inactiveList(), false);
            // the accounting detector's numbers at the end, unless it reported them during the run
            zl.counters().compare(true, active, null, "at a quiescent point");
            zl.counters().compare(false, inactive, null, "at a quiescent point");
        }
    }

    private static int checkList(Detectors d, ZoneLru zl, ListHead head, boolean active) {
        String name = zl.zone().name() + (active ? "->active_list" : "->inactive_list");
        int n = 0;
        for (ListHead e = head.next(); e != head; e = e.next()) {
            if (e == null || e.isPoisoned() || n > d.nrPages()) {
                d.report(FindingKind.LIST_CORRUPTION, null, -1, null, name + " is broken (poisoned or cyclic)");
                return n;
            }
            if (!(e instanceof Page page)) {
                d.report(FindingKind.LIST_CORRUPTION, null, -1, null, name + " holds a non-page entry");
                return n;
            }
            n++;
            if (page.count() == 0) {
                d.report(FindingKind.LEAK, null, page.pfn(), null,
                        "zero-ref page left on " + name + " (nobody will free it but reclaim's mop-up)");
            }
            if (!page.hasFlag(PG_lru)) {
                d.report(FindingKind.ACCOUNTING, null, page.pfn(), null, "page on " + name + " without PG_lru");
            }
            if (page.hasFlag(PG_active) != active) {
                d.report(FindingKind.ACCOUNTING, null, page.pfn(), null, "page on " + name
                        + (active ? " without" : " with") + " PG_active");
            }
            if (d.isFree(page.pfn())) {
                d.report(FindingKind.USE_AFTER_FREE, null, page.pfn(), null, "free page still on " + name);
            }
        }
        return n;
    }
}
