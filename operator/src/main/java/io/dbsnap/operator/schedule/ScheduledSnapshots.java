package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.common.DeletionPolicy;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.schedule.TemplateMetadata;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotSpec;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.Ownership;
import io.dbsnap.operator.job.JobStatuses;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DatabaseSnapshots a schedule takes: named by their slot ({@code SCHEDULE-yyyyMMddHHmm}, UTC),
 * so a slot can only ever have one; labelled with the schedule, owned by it, annotated with the slot.
 */
public final class ScheduledSnapshots {

    public static final String ANNOTATION_SLOT = "dbsnap.io/slot";
    /** On a snapshot: never deleted by retention, whatever the policy says. */
    public static final String LABEL_KEEP = "dbsnap.io/keep";
    private static final DateTimeFormatter SLOT_NAME = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
    private static final int MAX_NAME = 253;

    private ScheduledSnapshots() {
    }

    /** The name of {@code schedule}'s snapshot for {@code slot}. */
    public static String name(String schedule, Instant slot) {
        String suffix = "-" + SLOT_NAME.format(slot);
        String base = schedule.length() + suffix.length() <= MAX_NAME ? schedule
                : KubernetesNames.labelValue(schedule);
        return base + suffix;
    }

    /** A schedule's snapshot for {@code slot}: the template, with its name, labels, owner and deletionPolicy default. */
    public static DatabaseSnapshot of(SnapshotSchedule schedule, Instant slot, KubernetesSerialization json) {
        var template = schedule.getSpec().getSnapshotTemplate();
        DatabaseSnapshotSpec spec = json.convertValue(template.getSpec(), DatabaseSnapshotSpec.class);
        if (spec.getDeletionPolicy() == null) {
            // retention is there to free storage: a scheduled snapshot's data goes with it unless the template says Retain
            spec.setDeletionPolicy(DeletionPolicy.Delete);
        }
        TemplateMetadata metadata = template.getMetadata() == null ? new TemplateMetadata() : template.getMetadata();
        Map<String, String> labels = new HashMap<>(metadata.getLabels() == null ? Map.of() : metadata.getLabels());
        labels.put(DatabaseSnapshot.LABEL_SCHEDULE, KubernetesNames.labelValue(schedule.getMetadata().getName()));
        Map<String, String> annotations = new HashMap<>(metadata.getAnnotations() == null ? Map.of()
                : metadata.getAnnotations());
        annotations.put(ANNOTATION_SLOT, slot.truncatedTo(ChronoUnit.SECONDS).toString());
        DatabaseSnapshot snapshot = new DatabaseSnapshot();
        snapshot.setMetadata(new ObjectMetaBuilder().withNamespace(schedule.getMetadata().getNamespace())
                .withName(name(schedule.getMetadata().getName(), slot)).withLabels(labels).withAnnotations(annotations)
                .withOwnerReferences(Ownership.controller(schedule)).build());
        snapshot.setSpec(spec);
        return snapshot;
    }

    public static boolean ownedBy(DatabaseSnapshot snapshot, SnapshotSchedule schedule) {
        return Ownership.isControlledBy(snapshot, schedule.getMetadata().getUid());
    }

    public static JobPhase phase(DatabaseSnapshot snapshot) {
        return JobStatuses.phaseOf(snapshot.getStatus());
    }

    public static boolean running(DatabaseSnapshot snapshot) {
        return !phase(snapshot).isFinal() && snapshot.getMetadata().getDeletionTimestamp() == null;
    }

    /** The slot a snapshot was taken for (its annotation; else its creation), to order a schedule's snapshots. */
    public static Instant slotOf(DatabaseSnapshot snapshot) {
        String slot = snapshot.getMetadata().getAnnotations() == null ? null
                : snapshot.getMetadata().getAnnotations().get(ANNOTATION_SLOT);
        return parse(slot).or(() -> parse(snapshot.getMetadata().getCreationTimestamp())).orElse(Instant.EPOCH);
    }

    /**
     * When a snapshot was taken, as retention dates it: its slot, but never after the API server made it. A slot
     * comes from the operator's clock; one running ahead must not date a new snapshot weeks into the future, where
     * maxAge would count back from it.
     */
    public static Instant takenAt(DatabaseSnapshot snapshot) {
        Instant slot = slotOf(snapshot);
        return parse(snapshot.getMetadata().getCreationTimestamp()).filter(slot::isAfter).orElse(slot);
    }

    /** The owner references naming the SnapshotSchedule (of dbsnap.io) that took a snapshot; none for one made by hand. */
    public static List<io.fabric8.kubernetes.api.model.OwnerReference> scheduleOwners(DatabaseSnapshot snapshot) {
        return Optional.ofNullable(snapshot.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
                .filter(o -> "SnapshotSchedule".equals(o.getKind()) && o.getApiVersion() != null
                        && o.getApiVersion().startsWith("dbsnap.io/")).toList();
    }

    public static boolean pinned(DatabaseSnapshot snapshot) {
        return snapshot.getMetadata().getLabels() != null
                && "true".equals(snapshot.getMetadata().getLabels().get(LABEL_KEEP));
    }

    public static final Comparator<DatabaseSnapshot> OLDEST_FIRST = Comparator.comparing(ScheduledSnapshots::slotOf)
            .thenComparing(s -> s.getMetadata().getName());

    /** The newest Succeeded snapshot, by slot. */
    public static Optional<DatabaseSnapshot> newestSucceeded(List<DatabaseSnapshot> snapshots) {
        return snapshots.stream().filter(s -> phase(s) == JobPhase.Succeeded).max(OLDEST_FIRST);
    }

    private static Optional<Instant> parse(String time) {
        try {
            return Optional.ofNullable(time).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
