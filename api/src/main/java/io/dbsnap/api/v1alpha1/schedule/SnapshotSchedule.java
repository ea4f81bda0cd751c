package io.dbsnap.api.v1alpha1.schedule;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * DatabaseSnapshots of one database on a cron schedule, with retention: a CronJob of snapshots that
 * keeps its decisions in its status, so an operator restart neither loses a slot nor runs one twice.
 */
@Group(DatabaseSnapshot.GROUP)
@Version(DatabaseSnapshot.VERSION)
@ShortNames("dbschedule")
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Timezone", jsonPath = ".status.timeZone", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Suspend", jsonPath = ".status.suspended", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Last Success", jsonPath = ".status.lastSuccessfulTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Next", jsonPath = ".status.nextScheduleTime", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Active", jsonPath = ".status.active", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Last Snapshot", jsonPath = ".status.lastSnapshot", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Missed", jsonPath = ".status.missed.count", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
public class SnapshotSchedule extends CustomResource<SnapshotScheduleSpec, SnapshotScheduleStatus> implements Namespaced {
}
