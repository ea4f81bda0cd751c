package io.dbsnap.operator.snapshot;

import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;
import io.dbsnap.operator.common.SecretRefs;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.operator.job.Problem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The Secrets a snapshot names must exist with their keys before a Job is made that could not start. */
public final class SecretCheck {

    record S3Keys(String accessKeyId, String secretAccessKey) {
    }

    private SecretCheck() {
    }

    static Optional<Problem> check(KubernetesClient client, DatabaseSnapshot snapshot) {
        return check(client, snapshot.getMetadata().getNamespace(), snapshot.getSpec().getStorage(), "spec.storage",
                snapshot.getSpec().getSource(), "spec.source");
    }

    /** The store's and the database's Secrets, wherever a resource names them ({@code ...Field}). */
    public static Optional<Problem> check(KubernetesClient client, String namespace, SnapshotStorage storage,
                                          String storageField, SnapshotSource database, String databaseField) {
        SecretRefs.Pair s3 = SecretRefs.s3(storage.getS3());
        Optional<Problem> problem = missing(client, namespace, s3, storageField + ".s3.credentialsSecret");
        if (problem.isPresent()) {
            return problem;
        }
        return SecretRefs.database(database)
                .flatMap(db -> missing(client, namespace, db, databaseField + ".credentialsSecret"));
    }

    /** A restore's age identity Secret and a non-empty key, when it names one (the key is not decoded here). */
    public static Optional<Problem> identity(KubernetesClient client, String namespace,
                                             io.dbsnap.api.v1alpha1.restore.Decryption decryption) {
        if (decryption == null || decryption.getIdentitySecret() == null) {
            return Optional.empty();
        }
        String name = decryption.getIdentitySecret().getName();
        String key = decryption.getIdentitySecret().getKey();
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.of(new Problem(FailureReason.SECRET_NOT_FOUND, "secret " + name
                    + " (spec.decryption.identitySecret) not found in namespace " + namespace + ": create it with the "
                    + "key " + key + " holding an age identity file"));
        }
        boolean present = secret.getData() != null && secret.getData().get(key) != null
                && !secret.getData().get(key).isBlank()
                || secret.getStringData() != null && secret.getStringData().get(key) != null
                && !secret.getStringData().get(key).isBlank();
        if (!present) {
            return Optional.of(new Problem(FailureReason.SECRET_NOT_FOUND, "secret " + name
                    + " (spec.decryption.identitySecret) in namespace " + namespace + " has no key " + key
                    + ", or it is empty: add the identity file there"));
        }
        return Optional.empty();
    }

    static S3Keys s3Keys(KubernetesClient client, DatabaseSnapshot snapshot) {
        SecretRefs.Pair ref = SecretRefs.s3(snapshot.getSpec().getStorage().getS3());
        Secret secret = client.secrets().inNamespace(snapshot.getMetadata().getNamespace()).withName(ref.secret()).get();
        if (secret == null) {
            throw new DbsnapException("secret " + ref.secret() + " not found");
        }
        return new S3Keys(value(secret, ref.firstKey()).orElseThrow(() -> new DbsnapException("secret "
                + ref.secret() + " has no key " + ref.firstKey())), value(secret, ref.secondKey()).orElseThrow(
                () -> new DbsnapException("secret " + ref.secret() + " has no key " + ref.secondKey())));
    }

    private static Optional<Problem> missing(KubernetesClient client, String namespace, SecretRefs.Pair ref, String field) {
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.secret()).get();
        if (secret == null) {
            return Optional.of(new Problem(FailureReason.SECRET_NOT_FOUND, "secret " + ref.secret()
                    + " (" + field + ") not found in namespace " + namespace + ": create it with the keys "
                    + ref.firstKey() + " and " + ref.secondKey()));
        }
        for (String key : new String[]{ref.firstKey(), ref.secondKey()}) {
            if (value(secret, key).isEmpty()) {
                return Optional.of(new Problem(FailureReason.SECRET_NOT_FOUND, "secret " + ref.secret()
                        + " (" + field + ") in namespace " + namespace + " has no key " + key + ": add it"));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> value(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
        }
        if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
            return Optional.of(secret.getStringData().get(key));
        }
        return Optional.empty();
    }
}
