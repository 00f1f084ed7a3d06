package org.mmemu.core.page;

/** The zones of a 2.5 i386 node, in the order of {@code node_zones[]}. */
public enum ZoneType {
    DMA("DMA"),
    NORMAL("Normal"),
    HIGHMEM("HighMem");

    private final String label;

    ZoneType(String label) {
        this.label = label;
    }

    /** The name the kernel prints ({@code zone->name}) and scenario files use. */
    public String label() {
        return label;
    }

    /** The zone named {@code name} (case-insensitive: {@code Normal}, {@code DMA}, {@code HighMem}). */
    public static ZoneType byLabel(String name) {
        for (ZoneType t : values()) {
            if (t.label.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown zone '" + name + "' (DMA, Normal or HighMem)");
    }
}
