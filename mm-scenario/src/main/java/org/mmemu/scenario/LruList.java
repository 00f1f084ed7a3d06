package org.mmemu.scenario;

/** Which LRU list a scenario page starts on: {@code lru: none | active | inactive}. */
public enum LruList {
    NONE("none"),
    ACTIVE("active"),
    INACTIVE("inactive");

    private final String label;

    LruList(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The list named {@code label}, or null. */
    public static LruList byLabel(String label) {
        for (LruList l : values()) {
            if (l.label.equals(label)) {
                return l;
            }
        }
        return null;
    }
}
