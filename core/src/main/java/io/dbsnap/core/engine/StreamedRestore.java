package io.dbsnap.core.engine;

import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.pipeline.StreamedDump;
import io.dbsnap.core.process.ProcessRunner;

/**
 * An engine that can restore a dump while it downloads, because the restore runs in one transaction
 * of the target that cannot commit before the dump's last bytes, which {@link StreamedDump} holds back
 * until the whole stored object matched its manifest. Saves the download, the scratch file and its disk.
 */
public interface StreamedRestore {

    /** Whether a restore with these options runs in one transaction and so can be streamed. */
    boolean streams(RestoreOptions options);

    /**
     * Restores {@code dump} into the target, then checks what the target holds as the file-fed restore
     * does. When the dump itself fails the command is stopped before its commit and that failure is
     * thrown ({@link StreamedDump#sourceFailure()}).
     */
    void restore(ProcessRunner runner, DatabaseTarget target, StreamedDump dump, RestoreOptions options);

    /**
     * A dry run's plan ({@link Engine#plan}) from the stream: every byte is still verified, without a
     * scratch file.
     */
    java.util.List<String> plan(ProcessRunner runner, DatabaseTarget target, StreamedDump dump);

    /** Drops a target database this restore created, after its stream failed: the target was not there before. */
    void dropCreatedTarget(ProcessRunner runner, DatabaseTarget target);
}
