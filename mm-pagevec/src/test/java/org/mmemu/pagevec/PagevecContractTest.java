package org.mmemu.pagevec;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.lru.protocol.Protocols;

/** {@link PagevecContract} for every protocol of the registry. */
@ParameterizedClass(name = "{0}")
@MethodSource("org.mmemu.lru.protocol.Protocols#names")
class PagevecContractTest extends PagevecContract {
    PagevecContractTest(String name) {
        super(Protocols.byName(name));
    }
}
