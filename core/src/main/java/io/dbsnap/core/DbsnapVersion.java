package io.dbsnap.core;

/** The version recorded in manifests as {@code toolVersion}. */
public final class DbsnapVersion {

    public static final String VERSION = "0.1.0";

    private DbsnapVersion() {
    }
}
