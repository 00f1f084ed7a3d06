package org.mmemu.pagevec;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.lru.protocol.ProtocolRegistry;

/** {@link PagevecContract} for every protocol of the registry. */
@ParameterizedClass(name = "{0}")
@MethodSource("names")
class PagevecContractTest extends PagevecContract {
    PagevecContractTest(String name) {
        super(ProtocolRegistry.onClassPath().byName(name));
    }

    static java.util.List<String> names() {
        return ProtocolRegistry.onClassPath().names();
    }
}
