package io.dbsnap.api.job;

/**
 * Why a snapshot (or, with the same names, a restore) failed, as the {@code reason} of its Failed
 * condition. The Job's agent reports the ones it finds; the operator adds those it finds before or
 * around the Job.
 */
public final class FailureReason {

    // found by the operator
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    public static final String JOB_FAILED = "JobFailed";
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    public static final String JOB_LOST = "JobLost";
    public static final String RESULT_MISSING = "ResultMissing";
    /** A Job, ServiceAccount, Role or RoleBinding of the snapshot's Job name exists and is not the snapshot's. */
    public static final String JOB_CONFLICT = "JobConflict";
    /** A restore's target (its pod or namespace) is annotated dbsnap.io/protect and spec.confirm does not name it. */
    public static final String TARGET_PROTECTED = "TargetProtected";
    /** A restore's source names no snapshot it may restore (not found, not Succeeded, none of the schedule's before the time). */
    public static final String SNAPSHOT_NOT_FOUND = "SnapshotNotFound";
    /** The DatabaseSnapshot a restore takes of its target first failed: nothing was restored. */
    public static final String PRE_RESTORE_SNAPSHOT_FAILED = "PreRestoreSnapshotFailed";
    /** An API error the operator kept meeting until it stopped retrying (its RBAC, a quota, a webhook). */
    public static final String OPERATOR_ERROR = "OperatorError";

    // found by the agent in the Job
    public static final String POD_NOT_FOUND = "PodNotFound";
    public static final String POD_NOT_READY = "PodNotReady";
    public static final String ENGINE_UNKNOWN = "EngineUnknown";
    public static final String DUMP_FAILED = "DumpFailed";
    public static final String STORAGE_FAILED = "StorageFailed";
    public static final String SNAPSHOT_FAILED = "SnapshotFailed";
    /** The stored object's SHA-256 or size differs from its manifest's (or the one the spec named): the target is untouched. */
    public static final String CHECKSUM_MISMATCH = "ChecksumMismatch";
    /** An encrypted snapshot without an identity for one of its recipients, or whose payload fails age's authentication. */
    public static final String DECRYPTION_FAILED = "DecryptionFailed";
    /** The store holds no readable manifest at the snapshot's location. */
    public static final String MANIFEST_UNREADABLE = "ManifestUnreadable";
    /** The snapshot's engine is not the target's (a MariaDB snapshot into PostgreSQL). */
    public static final String ENGINE_MISMATCH = "EngineMismatch";
    /** The target database could not be reached through its pod with the credentials given: nothing was changed. */
    public static final String TARGET_UNREACHABLE = "TargetUnreachable";
    /** The target refused the snapshot before it was touched (version, memory policy, an all-databases dump into one). */
    public static final String TARGET_INCOMPATIBLE = "TargetIncompatible";
    /** The snapshot could not be read or checked for another reason (scratch space, decompression): nothing was changed. */
    public static final String VERIFY_FAILED = "VerifyFailed";
    /** Restoring into the target failed after it was touched: it may be partly restored; the pre-restore snapshot holds what it was. */
    public static final String RESTORE_FAILED = "RestoreFailed";

    private FailureReason() {
    }
}
