package org.mmemu.lru;

import java.util.List;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.lru.protocol.ProtocolRegistry;

/** {@link LruProtocolContract} for every protocol of the registry, each named with its kernel version. */
@ParameterizedClass(name = "{0} ({1})")
@MethodSource("protocols")
class LruProtocolContractTest extends LruProtocolContract {
    LruProtocolContractTest(String name, String version) {
        super(ProtocolRegistry.onClassPath().byName(name));
    }

    static List<Arguments> protocols() {
        return ProtocolRegistry.onClassPath().all().stream().map(p -> Arguments.of(p.name(), p.version())).toList();
    }
}
