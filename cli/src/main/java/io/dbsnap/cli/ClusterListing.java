package io.dbsnap.cli;

import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The cluster's DatabaseSnapshots (or restores, or schedules) as {@code kubectl get} would show them, or as a List. */
final class ClusterListing {

    enum Output { TABLE, WIDE, JSON, YAML }

    /** One column: its header, its value for a resource, and whether only {@code -o wide} shows it. */
    private record Column<T>(String header, Function<T, String> value, boolean wide) {
    }

    private final KubernetesClient client;
    private final Instant now;

    ClusterListing(KubernetesClient client, Instant now) {
        this.client = client;
        this.now = now;
    }

    void snapshots(String namespace, boolean ready, Output output, PrintWriter out) {
        List<DatabaseSnapshot> items = sorted(namespace == null
                ? client.resources(DatabaseSnapshot.class).inAnyNamespace().list().getItems()
                : client.resources(DatabaseSnapshot.class).inNamespace(namespace).list().getItems());
        if (ready) {
            items = items.stream().filter(s -> s.getStatus() != null
                    && JobPhase.Succeeded.name().equals(s.getStatus().getPhase())).toList();
        }
        print(items, namespace == null, output, out, "DatabaseSnapshots", List.of(
                new Column<>("ENGINE", s -> s.getStatus() == null ? dash(s.getSpec().getSource().getEngine())
                        : dash(s.getStatus().getEngine()), false),
                new Column<>("SOURCE", s -> s.getStatus() != null && s.getStatus().getSource() != null
                        ? s.getStatus().getSource() : source(s), false),
                new Column<>("PHASE", s -> s.getStatus() == null ? "Pending" : dash(s.getStatus().getPhase()), false),
                new Column<>("SIZE", s -> s.getStatus() == null ? "-" : dash(s.getStatus().getDisplaySize()), false),
                new Column<>("AGE", s -> Age.since(s.getMetadata().getCreationTimestamp(), now), false),
                new Column<>("TAG", s -> dash(s.getSpec().getTag()), false),
                new Column<>("LOCATION", s -> s.getStatus() == null ? "-" : dash(s.getStatus().getLocation()), false),
                new Column<>("CHECKSUM", s -> s.getStatus() == null ? "-" : dash(s.getStatus().getChecksum()), true)));
    }

    void restores(String namespace, Output output, PrintWriter out) {
        List<SnapshotRestore> items = sorted(namespace == null
                ? client.resources(SnapshotRestore.class).inAnyNamespace().list().getItems()
                : client.resources(SnapshotRestore.class).inNamespace(namespace).list().getItems());
        print(items, namespace == null, output, out, "SnapshotRestores", List.of(
                new Column<>("SOURCE", r -> r.getStatus() == null ? "-" : dash(r.getStatus().getSource()), false),
                new Column<>("TARGET", r -> r.getStatus() == null ? "-" : dash(r.getStatus().getTarget()), false),
                new Column<>("PHASE", r -> r.getStatus() == null ? "Pending" : dash(r.getStatus().getPhase()), false),
                new Column<>("AGE", r -> Age.since(r.getMetadata().getCreationTimestamp(), now), false),
                new Column<>("CHECKSUM", r -> r.getStatus() == null ? "-" : dash(r.getStatus().getVerifiedChecksum()), true),
                new Column<>("PRE-RESTORE", r -> r.getStatus() == null ? "-" : dash(r.getStatus().getPreRestoreSnapshot()),
                        true)));
    }

    void schedules(String namespace, Output output, PrintWriter out) {
        List<SnapshotSchedule> items = sorted(namespace == null
                ? client.resources(SnapshotSchedule.class).inAnyNamespace().list().getItems()
                : client.resources(SnapshotSchedule.class).inNamespace(namespace).list().getItems());
        print(items, namespace == null, output, out, "SnapshotSchedules", List.of(
                new Column<>("SCHEDULE", s -> s.getSpec().getSchedule(), false),
                new Column<>("TIMEZONE", s -> dash(s.getSpec().getTimeZone()), false),
                new Column<>("SUSPEND", s -> String.valueOf(Boolean.TRUE.equals(s.getSpec().getSuspend())), false),
                new Column<>("LAST SUCCESS", s -> s.getStatus() == null || s.getStatus().getLastSuccessfulTime() == null
                        ? "-" : Age.since(s.getStatus().getLastSuccessfulTime(), now), false),
                new Column<>("NEXT", s -> s.getStatus() == null ? "-" : dash(s.getStatus().getNextScheduleTime()), false),
                new Column<>("ACTIVE", s -> s.getStatus() == null || s.getStatus().getActive() == null ? "0"
                        : s.getStatus().getActive().toString(), false),
                new Column<>("AGE", s -> Age.since(s.getMetadata().getCreationTimestamp(), now), false),
                new Column<>("LAST SNAPSHOT", s -> s.getStatus() == null ? "-" : dash(s.getStatus().getLastSnapshot()),
                        true)));
    }

    private <T extends HasMetadata> void print(List<T> items, boolean withNamespace, Output output,
                                                      PrintWriter out, String kind, List<Column<T>> columns) {
        if (output == Output.JSON || output == Output.YAML) {
            // set directly: the list's builder would look for a builder of each custom resource
            var list = new io.fabric8.kubernetes.api.model.KubernetesList();
            list.setApiVersion("v1");
            list.setKind("List");
            list.setMetadata(new io.fabric8.kubernetes.api.model.ListMeta());
            list.setItems(new ArrayList<HasMetadata>(items));
            var serialization = client.getKubernetesSerialization();
            out.print(output == Output.JSON ? serialization.asJson(list) + "\n" : serialization.asYaml(list));
            return;
        }
        if (items.isEmpty()) {
            out.println("No " + kind + " found.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        List<Column<T>> shown = columns.stream().filter(c -> !c.wide() || output == Output.WIDE).toList();
        List<String> header = new ArrayList<>();
        if (withNamespace) {
            header.add("NAMESPACE");
        }
        header.add("NAME");
        shown.forEach(c -> header.add(c.header()));
        rows.add(header.toArray(String[]::new));
        for (T item : items) {
            List<String> row = new ArrayList<>();
            if (withNamespace) {
                row.add(item.getMetadata().getNamespace());
            }
            row.add(item.getMetadata().getName());
            shown.forEach(c -> row.add(c.value().apply(item)));
            rows.add(row.toArray(String[]::new));
        }
        Table.print(out, rows);
    }

    private static <T extends HasMetadata> List<T> sorted(List<T> items) {
        return items.stream().sorted(Comparator.comparing((T i) -> i.getMetadata().getNamespace())
                .thenComparing(i -> Objects.toString(i.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(i -> i.getMetadata().getName())).toList();
    }

    private static String source(DatabaseSnapshot snapshot) {
        var pod = snapshot.getSpec().getSource() == null ? null : snapshot.getSpec().getSource().getPod();
        return pod == null || pod.getName() == null ? "-" : snapshot.getMetadata().getNamespace() + "/" + pod.getName();
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
