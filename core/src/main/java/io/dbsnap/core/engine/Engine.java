package io.dbsnap.core.engine;

import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.database.DatabaseTarget;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One database engine: how to name, dump and restore it. Engines only build commands and read
 * their answers; the pipeline streams, compresses, hashes and stores. Adding a database is one
 * new implementation registered in {@link Engines}.
 */
public interface Engine {

    /** The name recorded in manifests, e.g. {@code postgresql}. */
    String name();

    /** What a target of this engine is: a database on a server, or a file (whose path is its database). */
    enum TargetKind { SERVER, FILE }

    default TargetKind targetKind() {
        return TargetKind.SERVER;
    }

    /** The port a server listens on unless told otherwise (0: no server); two sources differing only by it are one. */
    default int defaultPort() {
        return 0;
    }

    /** The URL schemes that select this engine, e.g. {@code postgresql} and {@code postgres}. */
    Set<String> schemes();

    /** The data file's name before the compression suffix, e.g. {@code pg.dump}; a SQLite file keeps its own name. */
    String dataFileName(DatabaseTarget target);

    /** Image repository names (the last path segment, without tag) that run this engine, e.g. {@code postgres}. */
    Set<String> imageNames();

    /**
     * Inside a database pod: the variables this engine's tools read, each as a shell expression over
     * the database image's own environment ({@code PGUSER -> ${POSTGRES_USER:-postgres}}). A value
     * the caller gives (from a Secret) wins over the default.
     */
    Map<String, String> podEnvironmentDefaults();

    /**
     * Inside a database pod: the variable ({@link #podEnvironmentDefaults}) that names the database its
     * tools use when none is given, or null when the engine has no such default.
     */
    default String podDatabaseVariable() {
        return null;
    }

    /** Checks the target names what this engine needs; fails with a message saying what is missing. */
    void validate(DatabaseTarget target);

    /** Where the snapshot comes from, as recorded in the manifest and used in the storage path. */
    ManifestSource source(DatabaseTarget target);

    /** Connects and returns the server's version; fails clearly when the database cannot be reached. */
    String serverVersion(ProcessRunner runner, DatabaseTarget target);

    /**
     * The engine's own client connected to the target, with {@code args} after the connection
     * ({@code dbsnap psql POD -- -c "select 1"}); the password in its environment, as for every command.
     */
    default Command shellCommand(DatabaseTarget target, List<String> args) {
        throw new io.dbsnap.core.DbsnapException("dbsnap has no shell for " + name() + " databases");
    }

    /** The command that writes a consistent dump to its stdout. */
    Command dumpCommand(DatabaseTarget target);

    /**
     * Checks a dump that arrived whole is one of this engine's format, with the end its tool always
     * writes (mysqldump's {@code -- Dump completed}, an RDB's end opcode); fails with
     * {@link io.dbsnap.core.pipeline.DumpIncompleteException} when it is cut, and refuses one the
     * restore could not read. Called before anything is committed.
     */
    void checkDump(DumpEnds ends);

    /**
     * How many bytes at the end of the dump's stdout may be its tool's own end marker rather than the
     * dump (redis-cli's, to a pipe): they are held back until the tool has exited, and
     * {@link #dumpTrailer} decides. 0 for a tool whose stdout is the dump and nothing else.
     */
    default int dumpTrailerLimit() {
        return 0;
    }

    /**
     * Of {@code held}, the last bytes of a stdout of {@code streamed} bytes, how many at its end are the
     * tool's marker and no part of the dump, from what the tool said on {@code stderr} once it exited 0;
     * fails with {@link io.dbsnap.core.pipeline.DumpIncompleteException} when the tool's word and the
     * stream's length disagree. {@code stderr} is not scrubbed (a masked secret would garble a number):
     * it is read, never quoted in the message.
     */
    default int dumpTrailer(long streamed, byte[] held, String stderr) {
        return 0;
    }

    /** What a user should know about a snapshot taken from a server of {@code engineVersion}, if anything. */
    default Optional<String> caveat(String engineVersion) {
        return Optional.empty();
    }

    /** Whether the target database exists (a restore may create it). */
    boolean targetExists(ProcessRunner runner, DatabaseTarget target);

    /**
     * Whether an existing target holds nothing a pre-restore snapshot could keep (a server with no
     * databases of its own, as after a disaster): then none is taken, since there is nothing to take.
     */
    default boolean holdsNothing(ProcessRunner runner, DatabaseTarget target) {
        return false;
    }

    /** Creates the (empty) target database. */
    void createTarget(ProcessRunner runner, DatabaseTarget target);

    /**
     * What restoring {@code verifiedDump} into the target would replace, one line per object, read
     * from the dump and the target and changing neither: a dry run's plan. Fails as the restore
     * would where the target cannot take the snapshot ({@link TargetRefusedException}).
     */
    List<String> plan(ProcessRunner runner, DatabaseTarget target, Path verifiedDump);

    /**
     * Refuses, with {@link TargetRefusedException}, a dump the target cannot take for what the dump is
     * (an every-database MySQL dump into one database): asked before the target is created or touched.
     */
    default void checkFits(DatabaseTarget target, Path verifiedDump) {
    }

    /**
     * Restores a verified, decompressed dump into the target; a target that cannot take it is refused
     * with {@link TargetRefusedException} before anything is changed.
     */
    void restore(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, RestoreOptions options);
}
