package io.dbsnap.api.v1alpha1.snapshot;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One logical snapshot of a database running in a pod, taken once by a Job and stored with its checksum. */
@Group(DatabaseSnapshot.GROUP)
@Version(DatabaseSnapshot.VERSION)
@ShortNames("dbsnap")
@AdditionalPrinterColumn(name = "Engine", jsonPath = ".status.engine", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Source", jsonPath = ".status.source", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Size", jsonPath = ".status.displaySize", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Checksum", jsonPath = ".status.checksum", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Location", jsonPath = ".status.location", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class DatabaseSnapshot extends CustomResource<DatabaseSnapshotSpec, DatabaseSnapshotStatus> implements Namespaced {

    public static final String GROUP = "dbsnap.io";
    public static final String VERSION = "v1alpha1";
    /** On a snapshot a SnapshotSchedule took: the schedule's name, by which a restore finds its newest. */
    public static final String LABEL_SCHEDULE = "dbsnap.io/schedule";
}
