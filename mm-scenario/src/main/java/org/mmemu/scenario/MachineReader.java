package org.mmemu.scenario;

import static org.mmemu.scenario.SectionSupport.need;
import static org.mmemu.scenario.yaml.Yaml.bool;
import static org.mmemu.scenario.yaml.Yaml.fields;
import static org.mmemu.scenario.yaml.Yaml.intValue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mmemu.core.page.ZoneType;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code machine:}: CPUs, zones, the protocol, the kernel, slab on the LRU, filler pages, the reclaim batch, SMP or not, page lists. */
final class MachineReader {
    static final Set<String> KEYS = SectionSupport.keys("cpus", "zones", "protocol", "slab-on-lru", "filler",
            "swap-cluster-max", "kernel", "smp", "page-lists");
    private static final Set<String> FILLER = SectionSupport.keys("inactive", "active");

    private final List<String> protocols;

    MachineReader(List<String> protocols) {
        this.protocols = protocols;
    }

    MachineSpec read(Node node) {
        Map<String, Node> f = fields(node, "machine", KEYS);
        boolean smp = !f.containsKey("smp") || bool(f.get("smp"), "machine: smp");
        int cpus = smp || f.containsKey("cpus") ? intValue(need(f, "cpus", node, "machine"), "machine: cpus", 1, 64) : 1;
        if (!smp && cpus != 1) {
            throw ScenarioException.at(f.get("cpus"), "machine: smp: false is the uniprocessor build, one CPU (cpu0),"
                    + " not cpus: " + cpus);
        }
        Map<ZoneType, Integer> zones = zones(need(f, "zones", node, "machine"));
        String protocol = null;
        if (f.containsKey("protocol")) {
            protocol = Yaml.choice(f.get("protocol"), "protocol", protocols);
        }
        String kernel = null;
        if (f.containsKey("kernel")) {
            kernel = kernel(f.get("kernel"), protocol, f.get("protocol"));
        }
        boolean slabOnLru = f.containsKey("slab-on-lru") && bool(f.get("slab-on-lru"), "machine: slab-on-lru");
        int cluster = f.containsKey("swap-cluster-max")
                ? intValue(f.get("swap-cluster-max"), "machine: swap-cluster-max", 1, 1024) : MachineSpec.SWAP_CLUSTER_MAX;
        Map<ZoneType, MachineSpec.Filler> filler = f.containsKey("filler") ? filler(f.get("filler"), zones)
                : Map.of();
        boolean pageLists = f.containsKey("page-lists") && bool(f.get("page-lists"), "machine: page-lists");
        return new MachineSpec(cpus, zones, protocol, slabOnLru, filler, cluster, kernel, smp, pageLists);
    }

    /**
     * {@code machine: kernel:}: a name of {@link Kernels}, mirrored, on which the file's
     * {@code protocol} (if any) runs; the error points at the kernel, or at the protocol that
     * does not compose with it.
     */
    private static String kernel(Node node, String protocol, Node protocolNode) {
        String v = Yaml.string(node, "kernel");
        Kernels.Kernel k = Kernels.find(v).orElseThrow(() -> ScenarioException.at(node, "kernel '" + Echo.cut(v)
                + "' is not one of: " + String.join(", ", Kernels.names())));
        if (!k.mirrored()) {
            throw ScenarioException.at(node, Kernels.check(k, null).orElseThrow());
        }
        java.util.Optional<String> why = Kernels.check(k, protocol);
        if (why.isPresent()) {
            throw ScenarioException.at(protocolNode, why.get());
        }
        return k.name();
    }

    /** {@code machine: zones: { Normal: 64, ... }}: each zone once, at most MAX_ZONE_PAGES in all. */
    private static Map<ZoneType, Integer> zones(Node zn) {
        Map<String, Node> zs = Yaml.namedEntries(zn, "machine: zones");
        Map<String, Node> zkeys = Yaml.keyNodes(zn);
        Map<ZoneType, Integer> zones = new EnumMap<>(ZoneType.class);
        long total = 0;
        for (Map.Entry<String, Node> e : zs.entrySet()) {
            ZoneType t = zone(e.getKey(), zkeys.get(e.getKey()));
            if (zones.containsKey(t)) {
                throw ScenarioException.at(zkeys.get(e.getKey()), "zone " + t.label() + " given twice");
            }
            int size = intValue(e.getValue(), "zone " + t.label() + " size", 1, ScenarioLoader.MAX_ZONE_PAGES);
            zones.put(t, size);
            total += size;
        }
        if (zones.isEmpty()) {
            throw ScenarioException.at(zn, "machine: zones must name at least one zone (DMA, Normal, HighMem)");
        }
        if (total > ScenarioLoader.MAX_ZONE_PAGES) {
            throw ScenarioException.at(zn, "machine: zones hold " + total + " pages in all, more than "
                    + ScenarioLoader.MAX_ZONE_PAGES);
        }
        return zones;
    }

    private static ZoneType zone(String label, Node at) {
        try {
            return ZoneType.byLabel(label);
        } catch (IllegalArgumentException ex) {
            throw ScenarioException.at(at, ex.getMessage());
        }
    }

    /**
     * {@code machine: filler: { Normal: 32 }} (32 on the inactive list) or
     * {@code { Normal: { inactive: 32, active: 32 } }}: filler pages behind the named ones.
     */
    private static Map<ZoneType, MachineSpec.Filler> filler(Node node, Map<ZoneType, Integer> zones) {
        Map<String, Node> zs = Yaml.namedEntries(node, "machine: filler");
        Map<String, Node> zkeys = Yaml.keyNodes(node);
        Map<ZoneType, MachineSpec.Filler> out = new EnumMap<>(ZoneType.class);
        for (Map.Entry<String, Node> e : zs.entrySet()) {
            ZoneType t = zone(e.getKey(), zkeys.get(e.getKey()));
            if (!zones.containsKey(t)) {
                throw ScenarioException.at(zkeys.get(e.getKey()), "machine: filler: the machine has no " + t.label()
                        + " zone");
            }
            String what = "machine: filler: " + t.label();
            int max = zones.get(t);
            MachineSpec.Filler fl;
            if (e.getValue() instanceof MappingNode) {
                Map<String, Node> ff = fields(e.getValue(), what, FILLER);
                int in = ff.containsKey("inactive") ? intValue(ff.get("inactive"), what + ": inactive", 0, max) : 0;
                int ac = ff.containsKey("active") ? intValue(ff.get("active"), what + ": active", 0, max) : 0;
                fl = new MachineSpec.Filler(in, ac);
            } else {
                fl = new MachineSpec.Filler(intValue(e.getValue(), what, 0, max), 0);
            }
            if (fl.inactive() + fl.active() > max) {
                throw ScenarioException.at(e.getValue(), what + ": " + (fl.inactive() + fl.active())
                        + " filler pages, more than the zone's " + max);
            }
            out.put(t, fl);
        }
        return out;
    }
}
