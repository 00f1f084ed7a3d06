package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.TraceRow;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.protocol.Mm1Protocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.pagevec.Pagevecs;

/**
 * The seed mail's double free (docs/RACE.md) through the real shrink_cache()/shrink_list(),
 * under the controlled engine with the {@code irq} delay model.
 *
 * <ol>
 * <li>Setup: page P alone on the Normal zone's inactive list, PG_lru set, count 1, no mapping
 * (truncated); CPU 1 holds that one reference in a pagevec.</li>
 * <li>CPU 0 runs {@code shrink_cache(Normal)} (one batch: max_scan 1). CPU 1 runs
 * {@code __pagevec_release} of its pagevec, P first.</li>
 * <li>CPU 1's {@code put_page_testzero} takes P from 1 to 0 in rows 4-7, between CPU 0's
 * {@code page_count() == 0} test and its {@code page_cache_get} (0 -> 1, "we die").</li>
 * <li>An interrupt reaches CPU 1 before the {@code cli} of {@code spin_lock_irq} (row 8) and
 * lasts longer than CPU 0's shrink_list ({@code !mapping → keep_locked}), put-back and
 * {@code __pagevec_release}, which frees P (row 11, free #1).</li>
 * <li>CPU 1 comes back, takes the lock, finds PG_lru clear, rechecks the count: 0, and frees P
 * again (rows 12-15).</li>
 * </ol>
 * The engine finds the offsets and the arrival point; an interrupt of any length from 1 to 8
 * steps, too short to outlast shrink_list, finds nothing in the whole bounded space (footnote
 * condition 4). The long interrupt is 64 steps: {@link DoubleFreeThresholdMain} measured the
 * shortest one that frees twice at 26 steps, so 64 is well past it and keeps the exhaustive
 * unless-zero search cheap.
 */
class ShrinkCacheDoubleFreeTest {

    private static final Site TIMER = Site.of("timer_interrupt", "handler work");

    /**
     * The program; the interrupt on CPU 1 is either a handler of exactly {@code irqSteps} steps
     * ({@code longIrq}: one duration, only its arrival explored) or a busy handler whose duration
     * the engine explores from 1 to {@code irqSteps}.
     */
    static Program race(String protocol, int irqSteps, boolean longIrq) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                Machine m = Machines.boot(gate, 2, 64, x -> ProtocolRegistry.onClassPath().byName(protocol), ReclaimConfig.defaults(), 4, 8, 12);
                Cpu setup = new Cpu(63, StepGate.FREE, m.detectors());
                Page p = m.pageAlloc().allocPage(setup, Gfp.GFP_KERNEL);
                Lru.of(m).zone(Machines.normal(m)).addQuietly(p, false);
                LongList.fill(m, Machines.normal(m), Vmscan.SWAP_CLUSTER_MAX, 0); // the list is long
                m.extension(Page.class, x -> p);
                m.watch(p);
                return m;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Page p = m.extensionOrNull(Page.class);
                if (cpu.id() == 0) {
                    Reclaim.of(m).vmscan().shrinkCache(cpu, Vmscan.SWAP_CLUSTER_MAX, Machines.normal(m),
                            Gfp.GFP_KERNEL, 1);
                } else {
                    Pagevec pvec = new Pagevec();
                    pvec.pagevecAdd(p);
                    Pagevecs.__pagevecRelease(cpu, pvec);
                }
            }

            @Override
            public List<InterruptSpec> interrupts() {
                return List.of(longIrq ? new InterruptSpec(1, 0, 1, (m, c) -> {
                    for (int i = 0; i < irqSteps; i++) {
                        c.local(TIMER);
                    }
                }) : InterruptSpec.busy(1, irqSteps, 1));
            }
        };
    }

    private static ExploreOptions options() {
        return ExploreOptions.defaults().withDelays(DelayModel.IRQ).withPreemptionBound(0)
                .withTimeLimit(Duration.ofSeconds(40)).withThreads(2);
    }

    @Test
    void mm1DoubleFreesThroughTheRealShrinkCacheWhenALongInterruptHitsRow8() {
        ExploreResult r = Explorer.explore(race("mm1", 64, true), options().withStopAtFirst(true));
        System.out.println("mm1, 64-step interrupt: " + r);
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        Finding df = r.findings().stream().filter(f -> f.kind() == FindingKind.DOUBLE_FREE).findFirst().orElseThrow();
        System.out.println("schedule: " + df.schedule());
        assertThat(df.cpu()).as("free #2 by the releaser").isEqualTo(1);
        assertThat(df.related()).anySatisfy(x -> {
            assertThat(x.label()).isEqualTo("first free");
            assertThat(x.cpu()).as("free #1 by reclaim").isZero();
        });
        assertThat(df.rootCause()).isNotNull();
        assertThat(df.rootCause().site()).isEqualTo(Mm1Protocol.ISOLATE_GET);
        assertThat(df.rootCause().cpu()).isZero();

        RunResult replay = Explorer.replay(race("mm1", 64, true), df.schedule());
        List<TraceRow> rows = replay.trace().rows();
        assertThat(rows).anyMatch(x -> x.cpu() == 0 && x.site().function().equals("shrink_list"));
        assertThat(rows).anyMatch(x -> x.kind() == TraceRow.Kind.IRQ_ENTER && x.cpu() == 1);
        assertThat(replay.findings()).extracting(Finding::kind).contains(FindingKind.DOUBLE_FREE);
        // Row 5 lies between row 4 (the count test) and row 7 (the get) of CPU 0.
        int test = indexOf(rows, 0, Mm1Protocol.ISOLATE_COUNT.statement());
        int get = indexOf(rows, 0, Mm1Protocol.ISOLATE_GET.statement());
        int put = indexOf(rows, 1, Mm1Protocol.PV_TESTZERO.statement());
        assertThat(put).isGreaterThan(test).isLessThan(get);
        // Rows 2-7 on CPU 0, step by step: TestClearPageLRU, list_del (two loads, four stores),
        // the count load, then the five steps of list_add (load head.next + 4 stores in
        // __list_add()'s order), then the get.
        List<String> cpu0 = rows.stream()
                .filter(x -> x.cpu() == 0 && x.kind() == TraceRow.Kind.STEP && x.site() != null
                        && x.index() < get + 1 && x.site().function().equals("shrink_cache"))
                .map(x -> x.site().statement()).toList();
        int at = cpu0.lastIndexOf(Mm1Protocol.ISOLATE_COUNT.statement());
        String add = Mm1Protocol.ISOLATE_ADD.statement();
        String del = "list_del(&page->lru)";
        assertThat(cpu0.subList(at - 7, cpu0.size())).containsExactly(
                "if (!TestClearPageLRU(page)) BUG()", del + " [1/6: load entry->prev]",
                del + " [2/6: load entry->next]", del + " [3/6: next->prev = prev]",
                del + " [4/6: prev->next = next]", del + " [5/6: entry->next = NULL]",
                del + " [6/6: entry->prev = NULL]",
                Mm1Protocol.ISOLATE_COUNT.statement(),
                add + " [1/5: load head->next]", add + " [2/5: next->prev = new]",
                add + " [3/5: new->next = next]", add + " [4/5: new->prev = prev]",
                add + " [5/5: prev->next = new]", Mm1Protocol.ISOLATE_GET.statement());
    }

    @Test
    void noInterruptOfUpTo8StepsEverDoubleFreesInTheWholeBoundedSpace() {
        ExploreResult r = Explorer.explore(race("mm1", 8, false), options());
        System.out.println("mm1, 8-step interrupt: " + r);
        assertThat(r.complete()).isTrue();
        assertThat(r.countsByKind()).doesNotContainKey(FindingKind.DOUBLE_FREE);
    }

    @Test
    void unlessZeroSurvivesTheLongInterrupt() {
        ExploreResult r = Explorer.explore(race("unless-zero", 64, true), options());
        System.out.println("unless-zero, 64-step interrupt: " + r);
        assertThat(r.complete()).isTrue();
        assertThat(r.countsByKind()).doesNotContainKey(FindingKind.DOUBLE_FREE);
    }

    private static int indexOf(List<TraceRow> rows, int cpu, String statement) {
        for (TraceRow x : rows) {
            if (x.cpu() == cpu && x.site() != null && x.site().statement().equals(statement)) {
                return x.index();
            }
        }
        return -1;
    }
}
