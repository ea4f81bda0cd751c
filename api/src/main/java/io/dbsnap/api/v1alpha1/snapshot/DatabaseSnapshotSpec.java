package io.dbsnap.api.v1alpha1.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.EqualsAndHashCode;
import lombok.ToString;

/** One logical snapshot of one database, taken once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@EqualsAndHashCode(callSuper = true)
@ToString(callSuper = true)
// a snapshot records what was asked for; a different one is a new resource
@io.fabric8.generator.annotation.ValidationRule(value = "self == oldSelf", message = "spec is immutable: create a new DatabaseSnapshot instead")
public class DatabaseSnapshotSpec extends SnapshotSettings {
}
