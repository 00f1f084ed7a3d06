package org.mmemu.cli;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.run.ProtocolCatalog;

/**
 * The protocols of the jars a user adds with {@code --classpath} or {@code MMEMU_CLASSPATH}
 * (entries separated by the platform's path separator, as in {@code java -cp}): a class loader
 * over them, whose parent is mmemu's own, searched with {@link java.util.ServiceLoader} for
 * {@code META-INF/services/org.mmemu.lru.LruProtocol}. With no entries, mmemu's own protocols.
 */
final class ProtocolJars {
    private ProtocolJars() {
    }

    /**
     * The catalog over mmemu's class path and {@code entries}.
     *
     * @param entries {@code (where, path list)} pairs: where the list came from (for messages)
     *                and the list itself, either possibly null
     * @throws IllegalArgumentException with a one-line message for a missing entry, a listed
     *                                  protocol that cannot be loaded, or two with one name
     */
    static ProtocolCatalog catalog(List<String[]> entries) {
        List<URL> urls = new ArrayList<>();
        for (String[] e : entries) {
            if (e[1] == null || e[1].isBlank()) {
                continue;
            }
            for (String entry : e[1].split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path p = Path.of(entry);
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException(e[0] + ": no such jar or directory: " + entry);
                }
                try {
                    urls.add(p.toAbsolutePath().toUri().toURL());
                } catch (MalformedURLException ex) {
                    throw new IllegalArgumentException(e[0] + ": not a usable path: " + entry, ex);
                }
            }
        }
        if (urls.isEmpty()) {
            return ProtocolCatalog.onClassPath();
        }
        // Never closed: the protocols' classes are used until the process ends.
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ProtocolJars.class.getClassLoader());
        try {
            return new ProtocolCatalog(ProtocolRegistry.load(loader));
        } catch (ServiceConfigurationError | IllegalStateException ex) {
            throw new IllegalArgumentException("cannot load the protocols of " + urls + ": " + ex.getMessage(), ex);
        }
    }
}
