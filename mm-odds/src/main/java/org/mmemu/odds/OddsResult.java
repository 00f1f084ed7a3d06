package org.mmemu.odds;

import java.util.List;

/**
 * What an {@link OddsComputation} found for one protocol: per kind of finding its effective window
 * and the release path it needs; whether the search was complete, and if not, why.
 *
 * @param protocol         the protocol computed
 * @param findings         one per kind of finding, in report order; a kind never found is absent, or
 *                         present with an exact [0, 0] when a complete search shows it cannot occur
 * @param complete         whether nothing was cut (else the upper ends include what was cut)
 * @param incompleteReason the bound that cut the search, or "" when complete
 */
public record OddsResult(String protocol, List<FindingOdds> findings, boolean complete, String incompleteReason) {
    public OddsResult {
        findings = List.copyOf(findings);
    }

    /**
     * One kind of finding.
     *
     * @param kind         the finding's name, as reports name it ({@code double-free}, {@code zero-ref-on-lru})
     * @param windowCycles the effective window W, in cycles, enclosed
     * @param path         the releases that can make it
     */
    public record FindingOdds(String kind, Interval windowCycles, ReleasePath path) {
    }
}
