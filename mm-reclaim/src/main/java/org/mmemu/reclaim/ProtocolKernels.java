package org.mmemu.reclaim;

import org.mmemu.lru.LruProtocol;

/** The kernel version whose reclaim loops a protocol runs with. */
final class ProtocolKernels {
    private ProtocolKernels() {
    }

    static String versionOf(LruProtocol p) {
        return switch (p.name()) {
            case "mm1" -> "2.5.31-mm1";
            case "pre-fix" -> "2.5.31-bk";
            case "testone" -> "2.6.7";
            case "unless-zero" -> "2.6.16";
            default -> "2.5.33";
        };
    }
}
