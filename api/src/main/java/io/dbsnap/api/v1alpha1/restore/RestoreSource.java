package io.dbsnap.api.v1alpha1.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** Where the snapshot to restore is: exactly one of the three. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@io.fabric8.generator.annotation.ValidationRule(value = "[has(self.snapshotRef), has(self.scheduleRef), has(self.location)]"
        + ".filter(s, s).size() == 1", message = "set exactly one of snapshotRef, scheduleRef and location")
public class RestoreSource {

    @JsonPropertyDescription("A DatabaseSnapshot in the restore's own namespace.")
    private SnapshotRef snapshotRef;

    @JsonPropertyDescription("The newest Succeeded snapshot of a SnapshotSchedule in this namespace, taken at or before a time.")
    private ScheduleRef scheduleRef;

    @JsonPropertyDescription("A snapshot in any bucket (e.g. another cluster's), found by its manifest, read with the "
            + "restore's own credentials.")
    private StoredSnapshotRef location;
}
