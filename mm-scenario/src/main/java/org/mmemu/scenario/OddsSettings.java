package org.mmemu.scenario;

/**
 * {@code odds:}: what {@code mmemu odds} takes from the scenario besides its programs
 * (docs/ODDS.md).
 *
 * @param offsetCpu the CPU whose start offset t the odds weigh, relative to the others, which start
 *                  together ({@code offset-cpu:}; cpu0 by default: in the seed race the releaser
 *                  against reclaim)
 */
public record OddsSettings(int offsetCpu) {
    /** cpu0 starts at t. */
    public static final OddsSettings DEFAULT = new OddsSettings(0);

    public OddsSettings {
        if (offsetCpu < 0) {
            throw new IllegalArgumentException("offset-cpu must name a CPU");
        }
    }
}
