package com.example.mmemu.protocol;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmemu.lru.protocol.ProtocolRegistry;

class UnlockedPutProtocolTest {
    @Test
    void theServicesFileRegistersItBesideTheShippedOnes() {
        ProtocolRegistry registry = ProtocolRegistry.load(getClass().getClassLoader());
        assertInstanceOf(UnlockedPutProtocol.class, registry.byName("unlocked-put"));
        assertTrue(registry.names().contains("always-lock"));
        assertTrue(registry.byName("unlocked-put").expectedOnSeedRace().doubleFree());
    }
}
