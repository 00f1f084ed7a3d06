package org.mmemu.oracle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.Shipped;
import org.mmemu.scenario.run.Scenarios;

/**
 * Which pairs the oracle compares: the seed race under every protocol of mm-lru's registry, and
 * every other shipped scenario under the protocol its file names. A shipped scenario is left out
 * only for a reason written here, which docs/ORACLE.md repeats.
 */
final class OracleScope {
    static final String SEED_RACE = "seed-race";

    /** Shipped scenarios the oracle does not compare, and why. */
    static final Map<String, String> EXCLUDED = Map.of(
            "kswapd-pressure",
            "hundreds of shared steps per CPU (streaming reads against kswapd): no search of the controlled "
                    + "engine covers it, so there is no complete verdict to hold Fray's against",
            "slab-on-lru-race",
            "dpor under anywhere no longer completes on it since main's changes of 1 Dec 03:20 UTC "
                    + "(92,235 executions in 60 s, incomplete; complete with 51,384 before): no complete verdict");

    private OracleScope() {
    }

    /**
     * The compared pairs, the seed race's first (in registry order), then the index's order; with
     * {@code -Doracle.only=seed-race/mm1,ehrhardt-pre-fix}, only the pairs named (a scenario alone
     * names all its pairs).
     */
    static List<OraclePair> pairs(Scenarios scenarios) {
        String only = System.getProperty("oracle.only", "");
        List<OraclePair> all = allPairs(scenarios);
        if (only.isBlank()) {
            return all;
        }
        List<String> names = List.of(only.split(","));
        return all.stream().filter(p -> names.contains(p.scenario()) || names.contains(p.scenario() + "/" + p.protocol()))
                .toList();
    }

    private static List<OraclePair> allPairs(Scenarios scenarios) {
        List<OraclePair> out = new ArrayList<>();
        for (String p : ProtocolRegistry.onClassPath().names()) {
            out.add(new OraclePair(SEED_RACE, p));
        }
        for (String name : Shipped.names()) {
            if (!name.equals(SEED_RACE) && !EXCLUDED.containsKey(name)) {
                String p = scenarios.resolve(name).machine().protocol();
                out.add(new OraclePair(name, p == null ? org.mmemu.lru.protocol.ProtocolRegistry.DEFAULT : p));
            }
        }
        return out;
    }

    /** Name to reason, in index order. */
    static Map<String, String> excluded() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : Shipped.names()) {
            if (EXCLUDED.containsKey(name)) {
                m.put(name, EXCLUDED.get(name));
            }
        }
        return m;
    }
}
