package org.mmemu.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.mmemu.scenario.Echo;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Checks a file the command line is to write ({@code --json}, {@code --html}) before anything
 * runs, so that a folder, a missing directory or a FIFO (which would block the write) is bad
 * input at once, not an error after a long search.
 */
public final class OutputPath {
    private OutputPath() {
    }

    /** Throws a usage error (exit 2) if {@code option}'s {@code file} cannot be written as a new or regular file. */
    static void check(CommandLine cl, String option, Path file) {
        String problem = problem(option, file);
        if (problem != null) {
            throw new ParameterException(cl, problem);
        }
    }

    /**
     * Why {@code option}'s {@code file} cannot be written as a new or regular file, as one line
     * ({@code --json /tmp: is a directory; give a file name}), or null when it can (or is null).
     * For the commands outside picocli's parsing ({@code bench}), which check before they run.
     */
    public static String problem(String option, Path file) {
        if (file == null) {
            return null;
        }
        String shown = Echo.cut(file.toString());
        Path abs;
        try {
            abs = file.toAbsolutePath();
        } catch (InvalidPathException | java.io.IOError e) {
            return option + " " + shown + ": not a file name";
        }
        if (Files.isDirectory(abs)) {
            return option + " " + shown + ": is a directory; give a file name";
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            return option + " " + shown + ": is a device, FIFO or socket; give a file name";
        }
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            return option + " " + shown + ": no such directory";
        }
        if (Files.exists(abs) ? !Files.isWritable(abs) : dir != null && !Files.isWritable(dir)) {
            return option + " " + shown + ": permission denied";
        }
        return null;
    }
}
