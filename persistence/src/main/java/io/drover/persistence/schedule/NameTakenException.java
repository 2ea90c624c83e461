package io.drover.persistence.schedule;

/** Another schedule created over REST already has this name; names are how people tell schedules apart. */
public class NameTakenException extends RuntimeException {
    public NameTakenException(String name) {
        super("a schedule named " + name + " already exists; choose another metadata.name or update that schedule");
    }
}
