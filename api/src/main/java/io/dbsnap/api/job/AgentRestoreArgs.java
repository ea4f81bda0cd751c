package io.dbsnap.api.job;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator tells {@code dbsnap agent restore}: the target database, the snapshot's folder in
 * the store, the checksum it must have (when the spec or the snapshot's status names one), and
 * whether to only verify and plan. The same one-place contract as {@link AgentSnapshotArgs}.
 *
 * @param snapshot {@code NAMESPACE/SOURCE/ID/} under the store's prefix
 * @param sha256   the stored object's expected SHA-256 (hex, optionally {@code sha256:}), else null
 */
public record AgentRestoreArgs(AgentPodArgs target, String snapshot, String sha256, boolean dryRun,
                               AgentStoreArgs store) {

    public static final String SUBCOMMAND = "restore";

    public static final String SNAPSHOT = "--snapshot";
    public static final String SHA256 = "--sha256";
    public static final String DRY_RUN = "--dry-run";
    /** Environment variable with the age identity (a private key) of an encrypted snapshot, from a secretKeyRef only. */
    public static final String IDENTITY_ENV = "DBSNAP_AGE_IDENTITY";

    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(AgentSnapshotArgs.COMMAND, SUBCOMMAND));
        args.addAll(target.toArgs());
        args.add(SNAPSHOT + "=" + snapshot);
        AgentPodArgs.add(args, SHA256, sha256);
        if (dryRun) {
            args.add(DRY_RUN);
        }
        args.addAll(store.toArgs());
        return args;
    }
}
