package io.dbsnap.api.v1alpha1.common;

/** What deleting a DatabaseSnapshot does to the stored snapshot (K8up and CloudNativePG users know both). */
public enum DeletionPolicy {
    /** The stored snapshot outlives the resource: deleting YAML never deletes data by surprise. */
    Retain,
    /** The stored snapshot is removed (through a finalizer) before the resource goes away. */
    Delete
}
