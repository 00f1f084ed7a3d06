package org.mmemu.scenario.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mmemu.core.Machine;
import org.mmemu.core.page.Page;

/**
 * A scenario's names in one booted machine: page names to pages, mapping names to the address
 * spaces standing for them, and which pages are mapped by user page tables. Each execution
 * boots a machine and a world with it; operations look their pages up here at run time.
 *
 * <p>"Mapped" is a shim: mmemu does not emulate the 2.5 rmap pte chains, only the fact that
 * {@code page_mapped()} would be true, which reclaim reads.
 */
public final class World {
    private final Machine machine;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final Map<String, Object> mappings = new HashMap<>();
    private final Set<Page> mapped = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> objects = new ConcurrentHashMap<>();
    /** Names whose {@code alloc_pages ... as:} failed in this run, with the file:line:column of that alloc_pages. */
    private final Map<String, String> failed = new ConcurrentHashMap<>();

    private final java.util.function.BiConsumer<Long, String> onBind;

    public World(Machine machine) {
        this(machine, (pfn, name) -> { });
    }

    /** A world that tells {@code onBind} each name it gives, so reports can name pages. */
    public World(Machine machine, java.util.function.BiConsumer<Long, String> onBind) {
        this.machine = machine;
        this.onBind = onBind;
    }

    public Machine machine() {
        return machine;
    }

    /** Gives {@code page} the name {@code name} (setup, or an operation's {@code as:}). */
    public void bind(String name, Page page) {
        pages.put(name, page);
        names.put(page.pfn(), name);
        onBind.accept((long) page.pfn(), name);
    }

    /** Records that the allocation at {@code where} that was to name a page {@code name} failed. */
    public void allocFailed(String name, String where) {
        pages.remove(name);
        failed.put(name, where);
    }

    /**
     * The page named {@code name}; {@code where} says which reference asked. The error names
     * both lines where the name's allocation failed: the use and the {@code alloc_pages}.
     */
    public Page page(String name, String where) {
        Page p = pages.get(name);
        if (p == null) {
            String at = failed.get(name);
            throw new ScenarioFailure(where + ": page " + name + " has no page in this run" + (at != null
                    ? ": its alloc_pages at " + at + " failed" : " (its alloc_pages has not run yet)"));
        }
        return p;
    }

    /** The scenario's name of page frame {@code pfn}, or {@code "pfn N"}. */
    public String nameOf(long pfn) {
        String n = names.get((int) pfn);
        return n != null ? n : "pfn " + pfn;
    }

    /** The names given so far, for traces. */
    public Map<String, Page> named() {
        return Map.copyOf(pages);
    }

    /** The object standing for address space {@code name}, made once per world by {@code make}. */
    public synchronized Object mapping(String name, java.util.function.Function<String, Object> make) {
        return mappings.computeIfAbsent(name, make);
    }

    public void setMapped(Page page, boolean on) {
        if (on) {
            mapped.add(page);
        } else {
            mapped.remove(page);
        }
    }

    /** {@code page_mapped(page)}, the shim. */
    public boolean mapped(Page page) {
        return mapped.contains(page);
    }

    /**
     * The emulator-side object named {@code key} (a slab cache {@code "cache:C"}, a slab object
     * {@code "object:O"}), or null. Operations make caches at boot and objects at run time.
     */
    public Object object(String key) {
        return objects.get(key);
    }

    public void putObject(String key, Object value) {
        objects.put(key, value);
    }

    public Object removeObject(String key) {
        return objects.remove(key);
    }
}
