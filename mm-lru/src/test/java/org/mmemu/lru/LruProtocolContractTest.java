package org.mmemu.lru;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.lru.protocol.Protocols;

/** {@link LruProtocolContract} for every protocol of the registry. */
@ParameterizedClass(name = "{0}")
@MethodSource("org.mmemu.lru.protocol.Protocols#names")
class LruProtocolContractTest extends LruProtocolContract {
    LruProtocolContractTest(String name) {
        super(Protocols.byName(name));
    }
}
