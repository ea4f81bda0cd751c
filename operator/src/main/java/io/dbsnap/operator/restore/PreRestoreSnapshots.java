package io.dbsnap.operator.restore;

import io.dbsnap.api.v1alpha1.common.DeletionPolicy;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotSpec;
import io.dbsnap.operator.common.KubernetesNames;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.Map;

/**
 * The safety snapshot a restore takes of its target before changing it: an ordinary DatabaseSnapshot
 * into the snapshot's own storage, tagged {@value #TAG}, labelled with the restore's name and not
 * owned by it, so deleting the restore keeps it (and its data: Retain).
 */
public final class PreRestoreSnapshots {

    public static final String TAG = "pre-restore";

    private PreRestoreSnapshots() {
    }

    public static String name(SnapshotRestore restore) {
        return KubernetesNames.bounded(TAG, restore.getMetadata().getName(), restore.getMetadata().getUid(), 63);
    }

    /**
     * @param recipients the age recipients of the restore's own identity, as its verify Job derived them from
     *                   the key (null: no spec.decryption); the safety copy of the target is encrypted to them
     */
    public static DatabaseSnapshot of(SnapshotRestore restore, ResolvedSource source, SnapshotSource target,
                                      java.util.List<String> recipients) {
        DatabaseSnapshotSpec spec = new DatabaseSnapshotSpec();
        spec.setSource(target);
        SnapshotStorage storage = new SnapshotStorage();
        storage.setS3(source.storage().getS3());
        spec.setStorage(storage);
        spec.setTag(TAG);
        spec.setNote("taken by dbsnap before SnapshotRestore " + restore.getMetadata().getName() + " restores "
                + source.display());
        spec.setDeletionPolicy(DeletionPolicy.Retain);
        spec.setJob(restore.getSpec().getJob());
        if (recipients != null && !recipients.isEmpty()) {
            io.dbsnap.api.v1alpha1.common.Encryption encryption = new io.dbsnap.api.v1alpha1.common.Encryption();
            encryption.setRecipients(recipients.stream().distinct().limit(32).toList());
            spec.setEncryption(encryption);
        }
        DatabaseSnapshot snapshot = new DatabaseSnapshot();
        snapshot.setMetadata(new ObjectMetaBuilder().withNamespace(restore.getMetadata().getNamespace())
                .withName(name(restore))
                .withLabels(Map.of(RestoreJobFactory.LABEL_RESTORE, KubernetesNames.labelValue(restore.getMetadata()
                        .getName())))
                .build());
        snapshot.setSpec(spec);
        return snapshot;
    }
}
