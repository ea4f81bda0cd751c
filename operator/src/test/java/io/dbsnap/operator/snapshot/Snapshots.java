package io.dbsnap.operator.snapshot;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** DatabaseSnapshots for unit tests, written as a user writes them: YAML. */
public final class Snapshots {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private Snapshots() {
    }

    public static DatabaseSnapshot parse(String yaml) {
        return YAML.unmarshal(yaml, DatabaseSnapshot.class);
    }

    /** A snapshot of pod orders-db-0 into s3://snaps/prod, with {@code extraSpec} appended to its spec. */
    static DatabaseSnapshot named(String name, String extraSpec) {
        return parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata:
                  name: %s
                  namespace: prod
                  uid: 6f1c2a9e-0000-4000-8000-000000000001
                  generation: 1
                spec:
                  source:
                    pod: {name: orders-db-0}
                  storage:
                    s3:
                      bucket: snaps
                      prefix: prod
                      credentialsSecret: {name: s3-creds}
                %s""".formatted(name, extraSpec.indent(2)));
    }

    /** A snapshot {@code s} in namespace prod with exactly this spec (YAML, unindented). */
    static DatabaseSnapshot withSpec(String specYaml) {
        return parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: s, namespace: prod, uid: u-1}
                spec:
                %s""".formatted(specYaml.indent(2)));
    }

    static DatabaseSnapshot basic() {
        return named("orders-nightly", "");
    }
}
