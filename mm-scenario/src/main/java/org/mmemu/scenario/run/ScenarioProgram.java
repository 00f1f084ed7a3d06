package org.mmemu.scenario.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;
import org.mmemu.core.sync.LockLeaks;
import org.mmemu.scenario.ops.World;
import org.mmemu.scenario.OpCall;
import org.mmemu.scenario.PageSpec;
import org.mmemu.scenario.Scenario;

/**
 * A scenario as an engine runs it: each {@link #boot} makes a fresh machine in the file's
 * initial state, each CPU runs its operations in order, the file's interrupts become
 * {@link InterruptSpec}s, and the named pages are watched so that traces show them.
 *
 * <p>Setup takes each named page from the buddy allocator with its own code on cpu0, behind a
 * shut gate ({@link QuietGate}), then gives it the file's count, flags, mapping and list without
 * steps. Boots are deterministic, so a name has the same page frame in every execution, which is
 * what lets findings be reported by page name. Pages named at run time ({@code alloc_pages:
 * {as: Q}}) are named by the last execution that bound them.
 */
public final class ScenarioProgram implements Program {
    static final org.mmemu.core.emu.Site IRQ_WORK = org.mmemu.core.emu.Site.of("interrupt", "handler work");

    private final Scenario scenario;
    private final String protocol;
    private final KernelWiring wiring;
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    /** Page frames watched besides the named ones: the pages of findings, so their traces show them. */
    private final Set<Long> alsoWatched;
    /** The machine of the first execution that ran a CPU's program (for its counters). */
    private final java.util.concurrent.atomic.AtomicReference<Machine> firstRun =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** {@link #config()}, once made (immutable; a race makes two equal ones). */
    private volatile MachineConfig config;

    public ScenarioProgram(Scenario scenario, String protocol, KernelWiring wiring) {
        this(scenario, protocol, wiring, Set.of());
    }

    private ScenarioProgram(Scenario scenario, String protocol, KernelWiring wiring, Set<Long> alsoWatched) {
        this.scenario = scenario;
        this.protocol = protocol;
        this.wiring = wiring;
        this.alsoWatched = Set.copyOf(alsoWatched);
    }

    /**
     * The same program watching page frames {@code pfns} too (boots are deterministic, so a
     * finding's page has the same frame in a replay).
     */
    public ScenarioProgram watching(java.util.Collection<Long> pfns) {
        java.util.Set<Long> all = new java.util.LinkedHashSet<>(alsoWatched);
        all.addAll(pfns);
        ScenarioProgram p = new ScenarioProgram(scenario, protocol, wiring, all);
        p.names.putAll(names);
        return p;
    }

    /**
     * What the kind of finding expected of this program is: the file's expectation for its protocol
     * (on whatever kernel, {@code always-lock@2.6.7}: always-lock's), or, on a composition the
     * file's map names ({@code 2.6.7+f7f5e03df0: [lock-leak]}), the composition's.
     */
    public List<org.mmemu.core.emu.FindingKind> expect() {
        java.util.Optional<String> kernel = org.mmemu.scenario.Kernels.kernelOf(protocol)
                .map(org.mmemu.scenario.Kernels.Kernel::name).filter(k -> scenario.expect().names(k));
        return scenario.expect().of(kernel.orElse(org.mmemu.scenario.Kernels.protocolOf(protocol)));
    }

    /**
     * The {@code /proc/vmstat} counters of this program's first execution (the first machine
     * whose CPUs ran), by name; empty before any ran. Read after the engine is done with it.
     */
    public java.util.Optional<java.util.Map<String, Long>> firstRunVmstat() {
        return java.util.Optional.ofNullable(firstRun.get()).map(m -> m.pageAlloc().vmstat().snapshot());
    }

    public Scenario scenario() {
        return scenario;
    }

    public String protocol() {
        return protocol;
    }

    /** The machine this scenario describes, under this program's protocol. */
    public MachineConfig config() {
        MachineConfig c = config;
        if (c == null) {
            // made once: the controlled engine boots this program once per schedule
            c = new MachineConfig(scenario.machine().cpus(), scenario.machine().zones(), wiring.biasedCount(protocol),
                    Detectors.defaultStopKinds()).withSmp(scenario.machine().smp());
            config = c;
        }
        return c;
    }

    @Override
    public Machine boot(StepGate gate) {
        QuietGate quiet = new QuietGate(gate);
        Machine machine = new Machine(config(), quiet);
        World world = machine.extension(World.class, m -> new World(m, (pfn, name) -> bound(m, pfn, name)));
        wiring.install(machine, protocol, scenario.machine());
        Cpu boot = machine.cpu(0);
        for (PageSpec spec : scenario.pages().values()) {
            Zone zone = machine.zone(spec.zone());
            Page page = machine.pageAlloc().rmqueue(boot, zone, 0);
            if (page == null) {
                throw new org.mmemu.scenario.ops.ScenarioFailure(spec.where() + ": zone " + zone.name() + " has no free page left");
            }
            page.setCountQuietly(spec.count());
            for (int bit : spec.flags()) {
                page.setFlagQuietly(bit, true);
            }
            page.setPrivateData(spec.privateData());
            if (spec.mapping() != null) {
                page.setMappingQuietly(wiring.mapping(world, spec.mapping()));
            }
            world.setMapped(page, spec.mapped());
            world.bind(spec.name(), page);
            wiring.setUpPage(machine, world, page, spec);
        }
        for (long pfn : alsoWatched) {
            watch(machine, machine.page(pfn));
        }
        wiring.afterPages(machine, scenario.machine());
        // Boot-time needs of the operations (slab caches), still behind the shut gate.
        for (List<OpCall> ops : allOperations()) {
            for (OpCall op : ops) {
                op.operation().atBoot(world, boot);
            }
        }
        quiet.open();
        return machine;
    }

    /**
     * A page got a name (setup, or an operation's {@code as:} at run time): remember it, and
     * watch it unless the file's {@code watch:} chooses other pages.
     */
    private void bound(Machine machine, long pfn, String name) {
        names.put(pfn, name);
        if (scenario.watch().isEmpty() || scenario.watch().contains(name)) {
            watch(machine, machine.page(pfn));
        }
    }

    private static void watch(Machine machine, Page page) {
        if (page != null && !machine.watched().contains(page)) {
            machine.watch(page);
        }
    }

    private List<List<OpCall>> allOperations() {
        List<List<OpCall>> all = new ArrayList<>();
        for (int c = 0; c < scenario.machine().cpus(); c++) {
            all.add(scenario.program(c));
        }
        scenario.interrupts().values().forEach(d -> all.add(d.handler()));
        return all;
    }

    /** The world of a machine this program booted. */
    public static World world(Machine machine) {
        World w = machine.extensionOrNull(World.class);
        if (w == null) {
            throw new IllegalArgumentException("not a machine booted by a scenario");
        }
        return w;
    }

    @Override
    public void run(Machine machine, Cpu cpu) {
        firstRun.compareAndSet(null, machine);
        LockLeaks.Held before = LockLeaks.snapshot(cpu);
        runAll(scenario.program(cpu.id()), world(machine), cpu);
        LockLeaks.check(cpu, before);
    }

    private static void runAll(List<OpCall> ops, World world, Cpu cpu) {
        for (OpCall op : ops) {
            op.operation().run(world, cpu);
        }
    }

    /**
     * More than any bounded reclaim loop repeats one page: 2.5.39's shrink_cache may look at the
     * same skipped page up to {@code nr_to_process} (at least SWAP_CLUSTER_MAX) times.
     */
    @Override
    public int livelockRepeats() {
        return Math.max(Program.super.livelockRepeats(), 2 * scenario.machine().swapClusterMax() + 2);
    }

    @Override
    public List<InterruptSpec> interrupts() {
        List<InterruptSpec> out = new ArrayList<>();
        // {steps: N} busies the CPU for exactly N steps (issue 7's meaning), so only the arrival
        // point is explored, once per arrival class (its steps are local); the engine's
        // InterruptSpec.busy would also explore every length from 1 to N.
        scenario.interrupts().values().forEach(d -> out.add(d.handler().isEmpty()
                ? InterruptSpec.busyExactly(d.cpu(), d.steps(), d.max())
                : new InterruptSpec(d.cpu(), 0, d.max(), (m, c) -> handle(d, world(m), c))));
        return out;
    }

    /**
     * A {@code handler:} program in interrupt context, then its {@code steps:} of busy work; a
     * lock it took and still holds when it returns is a lock-leak named in the handler.
     */
    private static void handle(org.mmemu.scenario.InterruptDecl d, World world, Cpu cpu) {
        LockLeaks.Held before = LockLeaks.snapshot(cpu);
        runAll(d.handler(), world, cpu);
        busy(cpu, d.steps());
        LockLeaks.check(cpu, before);
    }

    /** A handler's work that touches no shared state: {@code steps} CPU-local steps. */
    private static void busy(Cpu cpu, int steps) {
        for (int i = 0; i < steps; i++) {
            cpu.local(IRQ_WORK);
        }
    }

    /** The scenario's name of page frame {@code pfn} (the same in every boot), or {@code pfn N}. */
    public String pageName(long pfn) {
        if (pfn < 0) {
            return "";
        }
        String n = names.get(pfn);
        return n != null ? n : "pfn " + pfn;
    }
}
