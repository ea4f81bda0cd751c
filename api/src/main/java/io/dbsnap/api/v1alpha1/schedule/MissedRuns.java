package io.dbsnap.api.v1alpha1.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** Slots that took no snapshot, counted, with the last one and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class MissedRuns {

    @JsonPropertyDescription("Slots missed since the schedule was created.")
    private Long count;

    @JsonPropertyDescription("The last slot missed (RFC 3339).")
    private String lastSlot;

    @JsonPropertyDescription("Why it was missed: ControllerDown, Suspended, ConcurrencyForbid, TooLate, RestoreInProgress, "
            + "NameTaken, TooManySnapshots, CreateFailed or SpecEdited.")
    private String reason;
}
