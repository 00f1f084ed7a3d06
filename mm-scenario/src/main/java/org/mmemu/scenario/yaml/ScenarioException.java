package org.mmemu.scenario.yaml;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A scenario file the runner cannot accept: bad YAML, an unknown key, an impossible page state.
 * Its message is one line, {@code file:line:column: what is wrong}, meant to be printed as it
 * is (exit status 2, no stack trace). Lines and columns count from 1, as editors do.
 */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String location;
    private final String problem;

    public ScenarioException(String location, String problem) {
        super(location == null || location.isEmpty() ? problem : location + ": " + problem, null, false, false);
        this.location = location == null ? "" : location;
        this.problem = problem;
    }

    /** An error at {@code node}'s start. */
    public static ScenarioException at(Node node, String problem) {
        return new ScenarioException(where(node), problem);
    }

    /** An error at {@code mark}, or in {@code file} as a whole when there is no mark. */
    public static ScenarioException at(String file, Optional<Mark> mark, String problem) {
        return new ScenarioException(mark.map(ScenarioException::where).orElse(file), problem);
    }

    /** {@code file:line:column} of {@code node}'s start. */
    public static String where(Node node) {
        return node.getStartMark().map(ScenarioException::where).orElse("?");
    }

    /** {@code file:line:column} of {@code mark}, counting from 1. */
    public static String where(Mark m) {
        return m.getName() + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
    }

    /** {@code file:line:column}, or just the file when the problem has no position. */
    public String location() {
        return location;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }
}
