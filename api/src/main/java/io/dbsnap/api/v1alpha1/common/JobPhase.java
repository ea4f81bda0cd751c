package io.dbsnap.api.v1alpha1.common;

/** The life of a resource that a Job carries out (a snapshot, a restore); Succeeded and Failed are final. */
public enum JobPhase {
    Pending, Running, Succeeded, Failed;

    public boolean isFinal() {
        return this == Succeeded || this == Failed;
    }
}
