package io.dbsnap.api.v1alpha1;

import io.dbsnap.api.v1alpha1.common.JobOptions;
import io.dbsnap.api.v1alpha1.common.JobStatus;
import io.dbsnap.api.v1alpha1.common.PodReference;
import io.dbsnap.api.v1alpha1.common.S3CredentialsSecret;
import io.dbsnap.api.v1alpha1.common.S3Storage;
import io.dbsnap.api.v1alpha1.common.SecretKeys;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;
import io.dbsnap.api.v1alpha1.restore.RestoreSource;
import io.dbsnap.api.v1alpha1.restore.ScheduleRef;
import io.dbsnap.api.v1alpha1.restore.SnapshotRef;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreSpec;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus;
import io.dbsnap.api.v1alpha1.restore.StoredSnapshotRef;
import io.dbsnap.api.v1alpha1.schedule.MissedRuns;
import io.dbsnap.api.v1alpha1.schedule.RetentionPolicy;
import io.dbsnap.api.v1alpha1.schedule.RetentionStatus;
import io.dbsnap.api.v1alpha1.schedule.SnapshotScheduleSpec;
import io.dbsnap.api.v1alpha1.schedule.SnapshotScheduleStatus;
import io.dbsnap.api.v1alpha1.schedule.SnapshotTemplate;
import io.dbsnap.api.v1alpha1.schedule.TemplateMetadata;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotSpec;
import io.dbsnap.api.v1alpha1.snapshot.SnapshotSettings;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written equals and hashCode of the resource classes cover every field: the operator
 * patches a status only when it is not equal to the last one, so a field left out of equals would
 * be a change that is never written. A field added without adding it to equals fails here.
 */
class EqualityCoversEveryFieldTest {

    @ParameterizedTest
    @ValueSource(classes = {JobStatus.class, DatabaseSnapshotStatus.class, DatabaseSnapshotSpec.class,
            SnapshotRestoreSpec.class, SnapshotRestoreStatus.class, RestoreSource.class, SnapshotRef.class,
            ScheduleRef.class, StoredSnapshotRef.class, SnapshotSource.class,
            PodReference.class, SnapshotStorage.class, S3Storage.class, S3CredentialsSecret.class, SecretKeys.class,
            JobOptions.class, SnapshotSettings.class, SnapshotScheduleSpec.class, SnapshotScheduleStatus.class,
            SnapshotTemplate.class, TemplateMetadata.class, RetentionPolicy.class, MissedRuns.class,
            RetentionStatus.class})
    void everyFieldTakesPartInEquals(Class<?> type) throws Exception {
        List<Field> fields = fieldsOf(type);
        assertThat(fields).as(type.getSimpleName() + " fields").isNotEmpty();
        for (Field field : fields) {
            Object plain = type.getDeclaredConstructor().newInstance();
            Object changed = type.getDeclaredConstructor().newInstance();
            field.setAccessible(true);
            field.set(changed, valueFor(field));
            assertThat(changed).as(type.getSimpleName() + "." + field.getName() + " in equals").isNotEqualTo(plain);
            Object same = type.getDeclaredConstructor().newInstance();
            field.set(same, valueFor(field));
            assertThat(same).as(type.getSimpleName() + "." + field.getName()).isEqualTo(changed);
            assertThat(same.hashCode()).as(type.getSimpleName() + "." + field.getName() + " in hashCode")
                    .isEqualTo(changed.hashCode());
        }
    }

    /** Its own fields and those it inherits (a status's shared part is compared too). */
    private static List<Field> fieldsOf(Class<?> type) {
        List<Field> fields = new java.util.ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            java.util.Arrays.stream(c.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                    .forEach(fields::add);
        }
        return fields;
    }

    /** A value other than the field's default, the same each time it is asked for. */
    private static Object valueFor(Field field) throws Exception {
        Class<?> t = field.getType();
        if (t == String.class) {
            return "x";
        }
        if (t == Long.class || t == long.class) {
            return 7L;
        }
        if (t == Integer.class || t == int.class) {
            return 7;
        }
        if (t == Boolean.class || t == boolean.class) {
            return Boolean.TRUE;
        }
        if (t.isEnum()) {
            Object[] constants = t.getEnumConstants();
            return constants[constants.length - 1];
        }
        if (t == List.class) {
            Class<?> element = (Class<?>) ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
            return List.of(element == Condition.class ? new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("Ready").withStatus("True").withReason("r").withMessage("m").withObservedGeneration(1L).build()
                    : element == Toleration.class ? new io.fabric8.kubernetes.api.model.TolerationBuilder().withKey("k").withOperator("Exists").withEffect("NoSchedule").build()
                    : element.getDeclaredConstructor().newInstance());
        }
        if (t == Map.class) {
            return Map.of("k", "v");
        }
        if (t == LabelSelector.class) {
            return new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().addToMatchLabels("app", "db").build();
        }
        if (t == ResourceRequirements.class) {
            return new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder().addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("1")).build();
        }
        // one of the resource classes: a non-default instance of its own
        Object nested = t.getDeclaredConstructor().newInstance();
        Field first = java.util.Arrays.stream(t.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                .findFirst().orElseThrow();
        first.setAccessible(true);
        first.set(nested, valueFor(first));
        return nested;
    }
}
