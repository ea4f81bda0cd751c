package io.dbsnap.api.v1alpha1;

/** The life of a DatabaseSnapshot; Succeeded and Failed are final. */
public enum SnapshotPhase {
    Pending, Running, Succeeded, Failed;

    public boolean isFinal() {
        return this == Succeeded || this == Failed;
    }
}
