package io.drover.persistence.repo;

import io.drover.persistence.schedule.ScheduleSettings;

/**
 * A valid spec read from a repository file.
 *
 * @param line     the line of the file where the spec's document starts
 * @param specJson the spec document as JSON
 * @param schedule its schedule, or null for a spec that is run by name
 */
public record SyncedSpec(String name, String path, int line, String specJson, ScheduleSettings schedule) {
}
