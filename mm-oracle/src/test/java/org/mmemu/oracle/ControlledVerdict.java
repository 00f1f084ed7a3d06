package org.mmemu.oracle;

import java.util.Map;
import java.util.SortedSet;

/**
 * The controlled engine's verdict on one pair: every kind its search met, with a schedule that
 * replays each ({@code mmemu replay --schedule}), and how far the search went.
 *
 * @param scenario   the scenario's name
 * @param protocol   the protocol
 * @param policy     the schedule policy ({@code dpor}, or {@code exhaustive} without a bound)
 * @param kinds      the finding kinds met, refcount-from-zero warnings included, by id
 * @param schedules  per kind id, the (shrunk) schedule of its first finding; none for a warning
 * @param complete   whether the search covered the whole space (no bound was hit)
 * @param executions executions explored
 * @param millis     wall time of the search
 */
record ControlledVerdict(String scenario, String protocol, String policy, SortedSet<String> kinds,
                         Map<String, String> schedules, boolean complete, long executions, long millis) {
}
