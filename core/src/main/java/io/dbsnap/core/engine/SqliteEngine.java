package io.dbsnap.core.engine;

import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.pipeline.DumpIncompleteException;
import io.dbsnap.core.pipeline.Sha256;
import io.dbsnap.core.pipeline.SourceDigest;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.database.DatabaseTarget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SQLite: a consistent copy of a live database file with {@code sqlite3 .backup} (the online backup
 * API, safe while another process writes), or, where there is no sqlite3, the file itself as
 * {@code kubectl cp} would copy it. Restore replaces the file atomically: the new file is written and
 * checked next to the old one, then renamed over it.
 */
public final class SqliteEngine implements Engine {

    /** The version recorded when there was no sqlite3 and the file was copied as it was. */
    public static final String NO_SQLITE3 = "none";

    /** The URL parameter (and the DatabaseSnapshot field) that allows a plain copy where there is no sqlite3. */
    public static final String ALLOW_PLAIN_COPY = DatabaseTarget.ALLOW_PLAIN_COPY;

    /**
     * Only a SQLite database is read: a path that leads into the kernel's or the kubelet's files
     * (a service account token, say) or to anything without the SQLite header is refused before a
     * byte is copied, so a DatabaseSnapshot cannot be used to carry other files out of a pod.
     */
    private static final String FILE_CHECK = """
            db="$1"
            real=$(readlink -f "$db" 2>/dev/null) || real="$db"
            case "$real" in
              /proc/*|/sys/*|/dev/*|/run/secrets/*|/var/run/secrets/*)
                echo "refusing to read $db: $real is not a database file a snapshot may read" >&2; exit 77;;
            esac
            [ -f "$real" ] || { echo "no SQLite database file $db" >&2; exit 66; }
            [ -r "$real" ] || { echo "cannot read $db" >&2; exit 77; }
            [ "$(head -c 15 "$real" | tr -d '\\000')" = "SQLite format 3" ] || { echo "$db is not a SQLite database (its first bytes are not the SQLite header)" >&2; exit 65; }
            if ! command -v sqlite3 >/dev/null 2>&1 && [ "${DBSNAP_SQLITE_PLAIN_COPY:-}" != allow ]; then
              echo "there is no sqlite3 here to copy $db consistently; allow a plain copy of the file, which a write during the copy can tear, with spec.source.allowPlainCopy: true (or ?allowPlainCopy=true)" >&2; exit 69
            fi
            """;

    private static final String VERSION_SCRIPT = "set -eu\n" + FILE_CHECK + """
            if command -v sqlite3 >/dev/null 2>&1; then
              sqlite3 -bail "$db" "PRAGMA schema_version;" >/dev/null
              sqlite3 --version | cut -d' ' -f1
            else
              echo none
            fi
            """;

    private static final String COPY = FILE_CHECK + """
            if command -v sqlite3 >/dev/null 2>&1; then
              sqlite3 -bail "$db" ".timeout 60000" ".backup '$tmp'"
            else
              cat "$db" > "$tmp"
            fi""";

    /**
     * Where the temporary copy goes: beside the database, on its own volume, when that has room for it
     * (a database-sized copy in the pod's /tmp counts against its ephemeral storage and can get the
     * pod evicted), else $TMPDIR when that has room, else $TMPDIR anyway (and a full disk fails the copy).
     */
    private static final String COPY_DIR = "$(need=$(( $(wc -c < \"$1\" 2>/dev/null || echo 0) / 1024 + 1024 )); "
            + "for d in \"$(dirname -- \"$1\")\" \"${TMPDIR:-/tmp}\"; do [ -w \"$d\" ] "
            + "&& free=$(df -Pk \"$d\" 2>/dev/null | awk 'NR == 2 { print $4 }') && [ \"${free:-0}\" -gt \"$need\" ] "
            + "&& { printf '%s' \"$d\"; exit 0; }; done; printf '%s' \"${TMPDIR:-/tmp}\")";

    private static final String EXISTS_SCRIPT = "if [ -e \"$1\" ]; then echo yes; else echo no; fi";

    /** Reads the new file from stdin next to the old one, checks it, then renames it over the old one. */
    private static final String RESTORE_SCRIPT = """
            set -eu
            db="$1"; want_size="$2"; want_sum="$3"
            # through a symbolic link, the file it points to is replaced and the link kept
            if [ -L "$db" ]; then db=$(readlink -f "$db") || { echo "cannot resolve the link $1" >&2; exit 66; }; fi
            dir=$(dirname -- "$db")
            [ -d "$dir" ] || { echo "no directory $dir for $db" >&2; exit 66; }
            tmp=$(mktemp "$dir/.dbsnap-restore.XXXXXXXX")
            trap 'rm -f "$tmp" "$tmp-wal" "$tmp-shm" "$tmp-journal"' EXIT
            trap 'exit 143' HUP INT TERM
            cat > "$tmp"
            """ + SourceDigest.SHA256_FUNCTION + """
            size=$(wc -c < "$tmp" | tr -d ' ')
            [ "$size" = "$want_size" ] || { echo "received $size bytes of $want_size" >&2; exit 65; }
            sum=$(sha256 < "$tmp")
            [ "$sum" = none ] || [ "$sum" = "$want_sum" ] || { echo "received SHA-256 $sum, expected $want_sum" >&2; exit 65; }
            if command -v sqlite3 >/dev/null 2>&1; then
              check=$(sqlite3 -bail "$tmp" "PRAGMA integrity_check;")
              [ "$check" = ok ] || { echo "the snapshot fails PRAGMA integrity_check: $check" >&2; exit 65; }
              tables=$(sqlite3 -bail "$tmp" "SELECT count(*) FROM sqlite_master WHERE type = 'table';")
            fi
            if [ -e "$db" ]; then
              chmod "$(stat -c %a "$db")" "$tmp"
              chown "$(stat -c %u:%g "$db")" "$tmp" 2>/dev/null || true
            else
              chmod 644 "$tmp"
            fi
            sync "$tmp" 2>/dev/null || sync
            # a -wal or -shm left from the old file would be applied to the new one
            rm -f "$db-wal" "$db-shm" "$db-journal"
            mv -f "$tmp" "$db"
            if command -v sqlite3 >/dev/null 2>&1; then
              after=$(sqlite3 -bail "$db" "PRAGMA integrity_check; SELECT count(*) FROM sqlite_master WHERE type = 'table';" | tr '\n' ' ')
              [ "$after" = "ok $tables " ] || { echo "after the rename $db is not the snapshot (integrity_check, tables: $after)" >&2; exit 65; }
            fi
            """;

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public TargetKind targetKind() {
        return TargetKind.FILE;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("sqlite", "sqlite3");
    }

    @Override
    public String dataFileName(DatabaseTarget target) {
        return SnapshotLayout.segment(Path.of(file(target)).getFileName().toString());
    }

    @Override
    public Set<String> imageNames() {
        // SQLite runs inside the application's own image: the engine is always named
        return Set.of();
    }

    @Override
    public Map<String, String> podEnvironmentDefaults() {
        return Map.of();
    }

    @Override
    public void validate(DatabaseTarget target) {
        if (target.host() != null || target.database() == null) {
            throw new DbsnapException("TARGET " + target + " must name a database file by its absolute path, "
                    + "e.g. sqlite:///var/lib/app/app.db (three slashes)");
        }
        for (Map.Entry<String, String> param : target.params().entrySet()) {
            if (!param.getKey().equals(ALLOW_PLAIN_COPY) || !param.getValue().matches("true|false")) {
                throw new DbsnapException("TARGET " + target + " has parameter '" + param.getKey() + "'; sqlite:// "
                        + "takes only " + ALLOW_PLAIN_COPY + "=true|false");
            }
        }
    }

    @Override
    public ManifestSource source(DatabaseTarget target) {
        return new ManifestSource("local", SnapshotLayout.sourceSegment("sqlite" + file(target)), null, null, null, null,
                file(target));
    }

    @Override
    public String serverVersion(ProcessRunner runner, DatabaseTarget target) {
        return runner.run(script("sqlite-check", VERSION_SCRIPT, target), "opening " + file(target)).strip();
    }

    @Override
    public Optional<String> caveat(String engineVersion) {
        if (!NO_SQLITE3.equals(engineVersion)) {
            return Optional.empty();
        }
        return Optional.of("copied as a plain file, as kubectl cp would, because there is no sqlite3 to make a "
                + "consistent copy: a write during the copy can leave it torn, and transactions still in the -wal "
                + "file are not in it");
    }

    @Override
    public Command dumpCommand(DatabaseTarget target) {
        return script("sqlite-backup", FileCopy.dumpScript(COPY_DIR, COPY), target);
    }

    @Override
    public void checkDump(DumpEnds ends) {
        if (!ends.headStartsWith("SQLite format 3\0")) {
            throw new DbsnapException("the copy of the database file does not start with the SQLite header; "
                    + "nothing was stored");
        }
        // the header's page size and page count (valid when its version-valid-for equals the change counter)
        long pageSize = ends.headNumber(16, 2) == 1 ? 65536 : ends.headNumber(16, 2);
        long pages = ends.headNumber(28, 4);
        boolean pagesValid = pages > 0 && ends.headNumber(92, 4) == ends.headNumber(24, 4);
        if (pageSize < 512 || ends.size() % pageSize != 0 || (pagesValid && ends.size() != pageSize * pages)) {
            throw new DumpIncompleteException("the copy of the database file has " + ends.size() + " bytes, but its "
                    + "header says " + (pagesValid ? pages + " pages of " + pageSize : "pages of " + pageSize)
                    + " bytes: it was cut; nothing was stored");
        }
    }

    @Override
    public boolean targetExists(ProcessRunner runner, DatabaseTarget target) {
        return runner.run(script("sqlite-exists", EXISTS_SCRIPT, target), "looking for " + file(target))
                .strip().equals("yes");
    }

    @Override
    public void createTarget(ProcessRunner runner, DatabaseTarget target) {
        // the restore writes the file
    }

    @Override
    public void restore(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, RestoreOptions options) {
        try {
            Command restore = Command.script("sqlite-restore", RESTORE_SCRIPT, List.of(file(target),
                    Long.toString(Files.size(verifiedDump)), Sha256.ofFile(verifiedDump)), Map.of(), Set.of());
            runner.run(restore, ProcessRunner.Stdin.of(verifiedDump), "replacing " + file(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> plan(ProcessRunner runner, DatabaseTarget target, Path verifiedDump) {
        try {
            return List.of((targetExists(runner, target) ? "replace file " : "create file ") + file(target) + " with "
                    + Files.size(verifiedDump) + " bytes, after checking them again in the pod (size, SHA-256, "
                    + "integrity_check)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database file's absolute path: {@code sqlite:///data/app.db} and a pod's {@code path} alike. */
    static String file(DatabaseTarget target) {
        return target.database().startsWith("/") ? target.database() : "/" + target.database();
    }

    private static Command script(String name, String script, DatabaseTarget target) {
        Map<String, String> env = "true".equals(target.params().get(ALLOW_PLAIN_COPY))
                ? Map.of("DBSNAP_SQLITE_PLAIN_COPY", "allow") : Map.of();
        return Command.script(name, script, List.of(file(target)), env, Set.of());
    }
}
