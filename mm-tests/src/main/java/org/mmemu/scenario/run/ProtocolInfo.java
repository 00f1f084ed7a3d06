package org.mmemu.scenario.run;

/**
 * What the command line knows of one refcount/LRU protocol (DESIGN §5): its name, where it
 * comes from, what it is expected to do on the seed race, and whether it needs the biased page
 * count of 2.6.7.
 */
public record ProtocolInfo(String name, String origin, String expected, boolean biasedCount) {
}
