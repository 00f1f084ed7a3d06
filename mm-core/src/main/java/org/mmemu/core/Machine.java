package org.mmemu.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Accounting;
import org.mmemu.core.page.Node;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageAlloc;
import org.mmemu.core.page.ReclaimHooks;
import org.mmemu.core.page.Zone;
import org.mmemu.core.page.ZoneType;

/**
 * The root of one emulated machine: its CPUs, its node and zones, the page allocator, the
 * detectors, and the per-machine state that other modules attach (the LRU of mm-lru, the
 * per-CPU pagevecs of mm-pagevec, the protocol, the caches of mm-slab). Nothing in mmemu is
 * static and mutable, so any number of machines can run side by side, which is how
 * exploration uses every core.
 *
 * <p>Every CPU of a machine steps through the same {@link StepGate}, given at boot: that is the
 * only thing that differs between the free, controlled and timed engines.
 */
public final class Machine {
    private final MachineConfig config;
    private final Detectors detectors;
    private final List<Cpu> cpus;
    private final Node node;
    private final PageAlloc pageAlloc;
    private final Accounting accounting;
    private final Map<Object, Object> extensions = new IdentityHashMap<>();
    /**
     * What {@link #extensionOrNull} reads: a copy of {@link #extensions} made at each change.
     * Kernel code asks for a module's state on every page (is there a slab allocator?), so the
     * read takes no lock; extensions are made once, at boot, so copying costs nothing.
     */
    private volatile Map<Object, Object> published = new IdentityHashMap<>();
    private final List<Page> watched = new ArrayList<>();
    private volatile ReclaimHooks reclaimHooks = ReclaimHooks.NONE;

    /** Boots a machine: builds its zones, frees every page into the buddy allocator. */
    public Machine(MachineConfig config, StepGate gate) {
        this.config = config;
        this.node = new Node(0, new EnumMap<>(config.zones().isEmpty()
                ? Map.of(ZoneType.NORMAL, 0) : config.zones()), config.biasedCount());
        this.detectors = new Detectors(node.nrPages(), config.stopKinds());
        List<Cpu> cs = new ArrayList<>();
        for (int i = 0; i < config.cpus(); i++) {
            Cpu c = new Cpu(i, gate, detectors);
            c.setSmp(config.smp());
            cs.add(c);
        }
        this.cpus = List.copyOf(cs);
        this.pageAlloc = new PageAlloc(node, detectors, config.allocatorBugChecks(), () -> reclaimHooks);
        pageAlloc.boot();
        this.accounting = new Accounting(node, detectors);
        detectors.addQuiescentCheck(d -> accounting.check());
    }

    /**
     * The quiescent accounting and leak checks of mm-core; mm-lru and mm-slab register their
     * part of {@code free + on-LRU + slab + held = total} here.
     */
    public Accounting accounting() {
        return accounting;
    }

    public MachineConfig config() {
        return config;
    }

    public Detectors detectors() {
        return detectors;
    }

    public List<Cpu> cpus() {
        return cpus;
    }

    public Cpu cpu(int id) {
        return cpus.get(id);
    }

    public Node node() {
        return node;
    }

    /** The zone of type {@code t}, or null if this machine has none. */
    public Zone zone(ZoneType t) {
        return node.zone(t);
    }

    /** The page allocator (mm/page_alloc.c). */
    public PageAlloc pageAlloc() {
        return pageAlloc;
    }

    /** {@code pfn_to_page()}. */
    public Page page(long pfn) {
        return node.page(pfn);
    }

    /** What the allocator calls when memory runs low; mm-reclaim installs its own. */
    public ReclaimHooks reclaimHooks() {
        return reclaimHooks;
    }

    public void setReclaimHooks(ReclaimHooks hooks) {
        reclaimHooks = hooks;
    }

    /**
     * The per-machine state a module keeps under {@code key} (usually its class), created on
     * first use: how mm-lru keeps its per-zone lists and mm-pagevec its per-CPU pagevecs
     * without mm-core knowing them.
     */
    @SuppressWarnings("unchecked")
    public <T> T extension(Object key, Function<Machine, T> create) {
        // Read without a monitor: this is on the step path of every operation, and under the
        // controlled engine a CPU's code is a continuation, which cannot yield while it holds
        // one. The monitor is taken only to create, and create() never steps.
        Object v = published.get(key);
        if (v != null) {
            return (T) v;
        }
        synchronized (extensions) {
            v = extensions.get(key);
            if (v == null) {
                v = create.apply(this);
                extensions.put(key, v);
                published = new IdentityHashMap<>(extensions);
            }
            return (T) v;
        }
    }

    /** The state a module keeps under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public <T> T extensionOrNull(Object key) {
        return (T) published.get(key);
    }

    /** Marks a page as one whose count and PG_lru the traces should show. */
    public void watch(Page page) {
        watched.add(page);
    }

    /** The pages traces show. */
    public List<Page> watched() {
        return Collections.unmodifiableList(watched);
    }
}
