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
 * @param notes            lines the report prints after the windows (what was enumerated, the chain)
 * @param sampled          per kind, the importance-sampled estimate of the whole W, where one was asked for
 *                         ({@code --estimate}); empty otherwise
 */
public record OddsResult(String protocol, List<FindingOdds> findings, boolean complete, String incompleteReason,
        List<String> notes, List<SampledWindow> sampled) {
    public OddsResult {
        findings = List.copyOf(findings);
        notes = List.copyOf(notes);
        sampled = List.copyOf(sampled);
    }

    /** A result without a sampled estimate. */
    public OddsResult(String protocol, List<FindingOdds> findings, boolean complete, String incompleteReason,
            List<String> notes) {
        this(protocol, findings, complete, incompleteReason, notes, List.of());
    }

    /** A result without notes. */
    public OddsResult(String protocol, List<FindingOdds> findings, boolean complete, String incompleteReason) {
        this(protocol, findings, complete, incompleteReason, List.of());
    }

    /**
     * One kind of finding.
     *
     * @param kind         the finding's name, as reports name it ({@code double-free}, {@code zero-ref-on-lru})
     * @param windowCycles the effective window W, in cycles, enclosed
     * @param path         the releases that can make it
     * @param enumerated   the part of W from what was enumerated, without the mass of what was cut
     *                     off (runs with more interrupts than enumerated); equal to the window when
     *                     nothing was cut
     * @param curve        P(finding | t) over the offset CPU's start t, as the enumerated classes give it
     *                     (the window {@code --html} draws); {@link WindowCurve#NONE} when not computed
     */
    public record FindingOdds(String kind, Interval windowCycles, ReleasePath path, Interval enumerated,
            WindowCurve curve) {
        /** A window with nothing cut off: the enumerated part is the window. */
        public FindingOdds(String kind, Interval windowCycles, ReleasePath path) {
            this(kind, windowCycles, path, windowCycles);
        }

        /** A window without a curve. */
        public FindingOdds(String kind, Interval windowCycles, ReleasePath path, Interval enumerated) {
            this(kind, windowCycles, path, enumerated, WindowCurve.NONE);
        }
    }
}
