package org.mmemu.engine.search;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.Schedule;


/** {@code replay}: one execution following the schedule string of the options. */
final class ReplayPolicy implements SchedulePolicy {
    static final String NAME = "replay";
    private final Schedule schedule;

    ReplayPolicy(ExploreOptions o) {
        if (o.schedule() == null || o.schedule().isEmpty()) {
            throw new IllegalArgumentException("the replay policy needs a schedule");
        }
        this.schedule = Schedule.parse(o.schedule());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String origin() {
        return "replays a recorded schedule (see Schedule for the grammar)";
    }

    @Override
    public int plan(Runner runner) {
        return 1;
    }

    @Override
    public void runUnit(int unit, Runner runner) {
        runner.replay(schedule, new int[] {0});
    }

    @Override
    public boolean exhaustive() {
        return false;
    }
}
