package io.dbsnap.api.v1alpha1.restore;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One restore of a stored snapshot into a database in a pod, verified before the target is touched:
 * explicit, reviewable in Git, and leaving a trace.
 */
@Group(DatabaseSnapshot.GROUP)
@Version(DatabaseSnapshot.VERSION)
@ShortNames("dbrestore")
@AdditionalPrinterColumn(name = "Source", jsonPath = ".status.source", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".status.target", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Checksum", jsonPath = ".status.verifiedChecksum", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Pre-Restore", jsonPath = ".status.preRestoreSnapshot", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class SnapshotRestore extends CustomResource<SnapshotRestoreSpec, SnapshotRestoreStatus> implements Namespaced {
}
