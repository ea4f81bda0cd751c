package io.dbsnap.api.v1alpha1.schedule;

/** What a slot does while the schedule's previous snapshot still runs (CronJob's names). */
public enum ConcurrencyPolicy {
    /** The slot is skipped and counted as missed (ConcurrencyForbid). */
    Forbid,
    /** The running snapshot is deleted and the slot's snapshot starts. */
    Replace,
    /** The slot's snapshot starts beside the running one. */
    Allow
}
