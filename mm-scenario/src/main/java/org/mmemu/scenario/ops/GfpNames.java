package org.mmemu.scenario.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mmemu.core.page.Gfp;
import org.mmemu.scenario.yaml.ScenarioException;
import org.snakeyaml.engine.v2.nodes.Node;

/** GFP masks as files write them: {@code GFP_KERNEL}, or flags joined by {@code |}. */
final class GfpNames {
    private static final Map<String, Integer> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("GFP_KERNEL", Gfp.GFP_KERNEL);
        NAMES.put("GFP_USER", Gfp.GFP_USER);
        NAMES.put("GFP_HIGHUSER", Gfp.GFP_HIGHUSER);
        NAMES.put("GFP_ATOMIC", Gfp.GFP_ATOMIC);
        NAMES.put("GFP_NOIO", Gfp.GFP_NOIO);
        NAMES.put("GFP_NOFS", Gfp.GFP_NOFS);
        NAMES.put("__GFP_DMA", Gfp.__GFP_DMA);
        NAMES.put("__GFP_HIGHMEM", Gfp.__GFP_HIGHMEM);
        NAMES.put("__GFP_WAIT", Gfp.__GFP_WAIT);
        NAMES.put("__GFP_HIGH", Gfp.__GFP_HIGH);
        NAMES.put("__GFP_IO", Gfp.__GFP_IO);
        NAMES.put("__GFP_FS", Gfp.__GFP_FS);
        NAMES.put("__GFP_COLD", Gfp.__GFP_COLD);
    }

    private GfpNames() {
    }

    /** The mask {@code text} names; an error at {@code at} if a part is unknown. */
    static int parse(String text, Node at, String op) {
        int mask = 0;
        for (String part : text.split("\\|", -1)) {
            Integer v = NAMES.get(part.trim());
            if (v == null) {
                throw ScenarioException.at(at, op + ": unknown GFP flag '" + part.trim() + "' (expected: "
                        + String.join(", ", NAMES.keySet()) + ")");
            }
            mask |= v;
        }
        return mask;
    }
}
