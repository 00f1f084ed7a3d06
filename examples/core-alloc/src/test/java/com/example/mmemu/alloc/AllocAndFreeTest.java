package com.example.mmemu.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllocAndFreeTest {
    @Test
    void everyPageAllocatedIsFreedAndCounted() {
        AllocAndFree.Result r = AllocAndFree.run();
        assertEquals(r.freeAtBoot() - 9, r.freeWhileHeld());
        assertEquals(r.freeAtBoot(), r.freeAtEnd());
        assertEquals(9L, r.vmstat().get("pgalloc"), "pages: one, then an order-3 block of 8");
        assertEquals(9L, r.vmstat().get("pgfree"));
        assertTrue(r.findings().isEmpty(), () -> "no leak, no bad free: " + r.findings());
    }
}
