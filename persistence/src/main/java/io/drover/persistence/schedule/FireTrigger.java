package io.drover.persistence.schedule;

/** Why a schedule fired: its cron, or a person asking to run it now. */
public enum FireTrigger {
    CRON, MANUAL
}
