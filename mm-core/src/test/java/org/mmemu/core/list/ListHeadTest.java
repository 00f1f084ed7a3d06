package org.mmemu.core.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.RunAborted;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;

/** include/linux/list.h: order, steps, poisoning and the CONFIG_DEBUG_LIST checks. */
class ListHeadTest {
    private static final Site S = Site.of("test", "list op");
    private final Machine m = TestMachines.boot(64);
    private final Cpu cpu = m.cpu(0);

    private Page page() {
        return TestMachines.page(m, 1);
    }

    private static List<Page> contents(ListHead head) {
        List<Page> out = new ArrayList<>();
        for (ListHead e = head.next(); e != head; e = e.next()) {
            out.add(e.entry(Page.class));
        }
        return out;
    }

    @Test
    void listAddIsAStackAndListAddTailAQueue() {
        ListHead head = new ListHead();
        Page a = page();
        Page b = page();
        Page c = page();
        assertThat(head.listEmpty(cpu, S)).isTrue();
        head.listAdd(cpu, S, a);
        head.listAdd(cpu, S, b);
        head.listAddTail(cpu, S, c);
        assertThat(contents(head)).containsExactly(b, a, c);
        assertThat(head.size()).isEqualTo(3);
        assertThat(head.prev()).isSameAs(c);
        assertThat(a.isLinked()).isTrue();
        assertThat(head.listEmpty(cpu, S)).isFalse();
    }

    private List<String> lastSteps(int n) {
        List<Site> all = cpu.recent().snapshot();
        return all.subList(all.size() - n, all.size()).stream().map(Site::statement).toList();
    }

    /**
     * Issue 23, item 8: __list_add() stores next->prev first (include/linux/list.h 2.5.31-2.6.7:
     * {@code next->prev = new; new->next = next; new->prev = prev; prev->next = new;}); before,
     * new->next came first.
     */
    @Test
    void listAddIsFiveStepsInTheTextsOrder() {
        ListHead head = new ListHead();
        Page a = page();
        long before = cpu.recent().total();
        head.listAdd(cpu, S, a);
        assertThat(cpu.recent().total() - before).isEqualTo(5);
        assertThat(lastSteps(5)).containsExactly("list op [1/5: load head->next]", "list op [2/5: next->prev = new]",
                "list op [3/5: new->next = next]", "list op [4/5: new->prev = prev]",
                "list op [5/5: prev->next = new]");
        head.listAddTail(cpu, S, page());
        assertThat(lastSteps(5).get(0)).isEqualTo("list op [1/5: load head->prev]");
    }

    /**
     * Issue 23, item 11: list_del() is its two loads and four stores, each naming what it
     * touches (the neighbours for the two links it rewrites); before, one step on the entry.
     */
    @Test
    void listDelIsSixStepsAndNamesTheNeighbours() {
        ListHead head = new ListHead();
        Page a = page();
        Page b = page();
        Page c = page();
        head.listAddTail(cpu, S, a);
        head.listAddTail(cpu, S, b);
        head.listAddTail(cpu, S, c);
        Site del = Site.of("test", "del");
        List<Object> targets = new ArrayList<>();
        Machine rm = new Machine(org.mmemu.core.MachineConfig.of(1, 64), (gc, site, target, field, access) -> {
            if (site.statement().startsWith("del [")) {
                targets.add(target);
            }
        });
        Cpu rc = rm.cpu(0);
        ListHead rhead = new ListHead();
        Page ra = TestMachines.page(rm, 1);
        Page rb = TestMachines.page(rm, 1);
        Page rcc = TestMachines.page(rm, 1);
        rhead.listAddTail(rc, S, ra);
        rhead.listAddTail(rc, S, rb);
        rhead.listAddTail(rc, S, rcc);
        rb.listDel(rc, del);
        assertThat(targets).containsExactly(rb, rb, rcc, ra, rb, rb);

        long before = cpu.recent().total();
        b.listDel(cpu, del);
        assertThat(cpu.recent().total() - before).isEqualTo(6);
        assertThat(lastSteps(6)).containsExactly("del [1/6: load entry->prev]", "del [2/6: load entry->next]",
                "del [3/6: next->prev = prev]", "del [4/6: prev->next = next]", "del [5/6: entry->next = NULL]",
                "del [6/6: entry->prev = NULL]");
        assertThat(contents(head)).containsExactly(a, c);
        // list_del_init: the same four, then INIT_LIST_HEAD's two stores
        a.listDelInit(cpu, S);
        assertThat(lastSteps(2)).containsExactly("list op [5/6: entry->next = entry]", "list op [6/6: entry->prev = entry]");
        // list_move: the four of __list_del, then list_add's five; no NULL stores
        ListHead to = new ListHead();
        before = cpu.recent().total();
        c.listMove(cpu, Site.of("test", "move"), to);
        assertThat(cpu.recent().total() - before).isEqualTo(9);
        assertThat(lastSteps(9)).noneMatch(st -> st.contains("NULL") || st.contains("POISON"));
    }

    /** Issue 23, item 11: 2.5's list_del() stores NULL, 2.6.0's LIST_POISON (include/linux/list.h by version). */
    @Test
    void listDelStoresNullOn25AndPoisonOn26() {
        ListHead head = new ListHead();
        Page a = page();
        Page b = page();
        head.listAddTail(cpu, S, a);
        head.listAddTail(cpu, S, b);
        a.listDel(cpu, S);
        assertThat(a.isPoisoned()).isTrue();
        assertThat(a.next()).isNull();
        assertThat(a.prev()).isNull();
        assertThat(a.isLinked()).isFalse();
        cpu.setListDelPoisons(true);
        Site del26 = Site.of("test", "del 2.6");
        b.listDel(cpu, del26);
        assertThat(b.next()).isSameAs(ListHead.POISON1);
        assertThat(b.prev()).isSameAs(ListHead.POISON2);
        assertThat(lastSteps(2)).containsExactly("del 2.6 [5/6: entry->next = LIST_POISON1]",
                "del 2.6 [6/6: entry->prev = LIST_POISON2]");
        assertThat(head.isEmpty()).isTrue();
        Page c = page();
        head.listAddTail(cpu, S, c);
        c.listDelInit(cpu, S);
        assertThat(c.isPoisoned()).isFalse();
        assertThat(c.next()).isSameAs(c);
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void listMoveAndSplice() {
        ListHead from = new ListHead();
        ListHead to = new ListHead();
        Page a = page();
        Page b = page();
        Page c = page();
        from.listAddTail(cpu, S, a);
        from.listAddTail(cpu, S, b);
        to.listAddTail(cpu, S, c);
        a.listMove(cpu, S, to);
        assertThat(contents(to)).containsExactly(a, c);
        b.listMoveTail(cpu, S, to);
        assertThat(contents(to)).containsExactly(a, c, b);
        assertThat(from.isEmpty()).isTrue();

        ListHead other = new ListHead();
        Page d = page();
        Page e = page();
        other.listAddTail(cpu, S, d);
        other.listAddTail(cpu, S, e);
        to.listSpliceInit(cpu, S, other);
        assertThat(contents(to)).containsExactly(d, e, a, c, b);
        assertThat(other.isEmpty()).isTrue();
        to.listSplice(cpu, S, new ListHead()); // an empty splice changes nothing
        assertThat(to.size()).isEqualTo(5);
    }

    @Test
    void aSecondListDelOn25DereferencesNull() {
        ListHead head = new ListHead();
        Page a = page();
        head.listAdd(cpu, S, a);
        a.listDel(cpu, S);
        assertThatThrownBy(() -> a.listDel(cpu, S)).isInstanceOf(RunAborted.class);
        assertOneCorruption(a, "list_del: entry->prev is NULL (deleted by 2.5's list_del, or never linked):"
                + " NULL pointer dereference");
    }

    @Test
    void aSecondListDelOn26HitsThePoison() {
        cpu.setListDelPoisons(true);
        ListHead head = new ListHead();
        Page a = page();
        head.listAdd(cpu, S, a);
        a.listDel(cpu, S);
        assertThatThrownBy(() -> a.listDel(cpu, S)).isInstanceOf(RunAborted.class);
        assertOneCorruption(a, "list_del corruption: entry already deleted (its links are LIST_POISON)");
    }

    @Test
    void listDelOfAnEntryNeverLinkedIsCorruption() {
        Page a = page();
        assertThatThrownBy(() -> a.listDel(cpu, S)).isInstanceOf(RunAborted.class);
        assertOneCorruption(a, "list_del corruption: entry is not on a list");
    }

    @Test
    void listDelWhoseNeighboursDoNotPointBackIsCorruption() {
        ListHead head = new ListHead();
        Page a = page();
        Page b = page();
        head.listAddTail(cpu, S, a);
        head.listAddTail(cpu, S, b);
        ((ListHead) b).prev = head; // a stray store: b no longer points back at a
        assertThatThrownBy(() -> a.listDel(cpu, S)).isInstanceOf(RunAborted.class);
        assertOneCorruption(a, "list_del corruption: neighbours do not point back");
    }

    @Test
    void listAddWithBrokenNeighboursIsCorruption() {
        ListHead head = new ListHead();
        Page a = page();
        Page b = page();
        head.listAdd(cpu, S, a);
        ((ListHead) a).prev = new ListHead(); // head->next->prev != head
        assertThatThrownBy(() -> head.listAdd(cpu, S, b)).isInstanceOf(RunAborted.class);
        assertOneCorruption(b, "list_add corruption: next->prev should be prev");
    }

    @Test
    void listAddAfterADeletedEntryIsCorruption() {
        ListHead head = new ListHead();
        Page a = page();
        Page b = page();
        head.listAdd(cpu, S, a);
        a.listDel(cpu, S);
        assertThatThrownBy(() -> a.listAdd(cpu, S, b)).isInstanceOf(RunAborted.class);
        assertOneCorruption(b, "list_add corruption: next->prev should be prev");
    }

    @Test
    void addingAnEntryNextToItselfIsCorruption() {
        ListHead head = new ListHead();
        Page a = page();
        head.listAdd(cpu, S, a);
        assertThatThrownBy(() -> head.listAdd(cpu, S, a)).isInstanceOf(RunAborted.class);
        assertOneCorruption(a, "list_add corruption: next->prev should be prev");
    }

    @Test
    void theTailOfAListIsItsLastEntry() {
        ListHead head = new ListHead();
        Page a = page();
        Page b = page();
        head.listAdd(cpu, S, a);
        head.listAdd(cpu, S, b);
        assertThat(head.tailEntry(cpu, S, Page.class)).isSameAs(a);
    }

    @Test
    void aTailThatIsNoPageIsCorruptionNotAnEmulatorError() {
        // a head whose prev was left poisoned by an entry deleted under it (an unlocked list_del)
        ListHead head = new ListHead();
        head.prev = ListHead.POISON2;
        assertThatThrownBy(() -> head.tailEntry(cpu, S, Page.class)).isInstanceOf(RunAborted.class);
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.LIST_CORRUPTION);
            assertThat(f.message()).isEqualTo("list_entry(head->prev) is no page: head->prev is a poisoned link"
                    + " (LIST_POISON)");
        });

        // an empty list's tail is its head, no page either
        ListHead empty = new ListHead();
        Machine other = TestMachines.boot(64);
        assertThatThrownBy(() -> empty.tailEntry(other.cpu(0), S, Page.class)).isInstanceOf(RunAborted.class);
        assertThat(other.detectors().findings()).singleElement().extracting(Finding::message)
                .isEqualTo("list_entry(head->prev) is no page: the list is corrupt");
    }

    private void assertOneCorruption(Page p, String message) {
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.LIST_CORRUPTION);
            assertThat(f.pfn()).isEqualTo(p.pfn());
            assertThat(f.message()).isEqualTo(message);
            assertThat(f.site()).isNotNull();
        });
        assertThat(m.detectors().stopFinding()).extracting(Finding::kind).isEqualTo(FindingKind.LIST_CORRUPTION);
    }
}
