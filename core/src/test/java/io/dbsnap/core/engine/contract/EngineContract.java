package io.dbsnap.core.engine.contract;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.engine.RestoreOptions;
import io.dbsnap.core.pipeline.SnapshotRequest;
import io.dbsnap.core.pipeline.SnapshotRestorer;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.testing.DatabaseFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every engine promises, run by each engine against its own throwaway server: a snapshot
 * restores to the same data, its password travels only in the environment, its source is named
 * the same way each time and apart from other databases, and a target missing what it needs is
 * refused with a message saying what. A new engine is one class and one subclass of this.
 */
abstract class EngineContract {

    @TempDir
    Path storeDir;
    @TempDir
    Path scratch;

    /** The engine's name, as manifests and resources spell it. */
    abstract String engineName();

    /** A target holding the engine's sample data, its URL with the password in it. */
    abstract String targetUrl() throws Exception;

    /** The password in {@link #targetUrl()}; {@code null} for an engine without one. */
    abstract String password();

    abstract DatabaseFingerprint fingerprint();

    /** Changes the data in the target, so that only a restore brings it back. */
    abstract void spoil() throws Exception;

    /** Another database of the same kind that must be filed apart from the target. */
    abstract String otherTargetUrl();

    /** Targets the engine must refuse, each with a part of the message that says what to do. */
    abstract Map<String, String> refusedTargets();

    /** How the engine's tools are run: here, as they are installed. */
    ProcessRunner runner() {
        return new LocalProcessRunner();
    }

    @Test
    void aSnapshotRestoresTheSameData() throws Exception {
        DatabaseTarget target = TargetParser.parse(targetUrl());
        Map<String, String> before = fingerprint().take();

        Manifest manifest = snapshot(runner(), target);
        spoil();
        assertThat(fingerprint().take()).as("the spoiling changed something").isNotEqualTo(before);
        restore(runner(), target, manifest);

        assertThat(manifest.engine()).isEqualTo(engineName());
        assertThat(fingerprint().take()).isEqualTo(before);
    }

    @Test
    void aDryRunsPlanReadsDumpAndTargetAndChangesNothing() throws Exception {
        DatabaseTarget target = TargetParser.parse(targetUrl());
        Manifest manifest = snapshot(runner(), target);
        spoil();
        Map<String, String> spoiled = fingerprint().take();
        long files;
        try (var walk = java.nio.file.Files.walk(storeDir)) {
            files = walk.count();
        }

        List<String> plan = new SnapshotRestorer(runner(), new SnapshotWriter(runner(),
                Clock.systemUTC()), scratch).plan(Engines.forTarget(target), target, new FileObjectStore(storeDir),
                entry(manifest), TransferListener.NONE);

        assertThat(plan).as("what would be replaced").isNotEmpty().allSatisfy(line -> assertThat(line).isNotBlank()
                .doesNotContain("null"));
        assertThat(fingerprint().take()).as("the target is as it was").isEqualTo(spoiled);
        try (var walk = java.nio.file.Files.walk(storeDir); var left = java.nio.file.Files.list(scratch)) {
            assertThat(walk.count()).as("nothing stored").isEqualTo(files);
            assertThat(left).as("no scratch file left").isEmpty();
        }
        // the sample data back, for the tests that follow
        restore(runner(), target, manifest);
    }

    @Test
    void thePasswordTravelsOnlyInTheEnvironment() throws Exception {
        DatabaseTarget target = TargetParser.parse(targetUrl());
        Recording runner = new Recording();

        restore(runner, target, snapshot(runner, target));

        assertThat(runner.commands).isNotEmpty();
        if (password() == null) {
            return;
        }
        assertThat(runner.commands).allSatisfy(c -> assertThat(String.join(" ", c.argv()))
                .as(c.program() + "'s arguments").doesNotContain(password()));
        assertThat(runner.commands).as("a command that logs in").anySatisfy(c -> {
            assertThat(c.env()).containsValue(password());
            assertThat(c.secrets()).as("scrubbed from what it prints").contains(password());
        });
    }

    /**
     * A weak password ("1", "a", "success", the database's own name) is masked wherever a tool prints
     * it, also inside the tool's own report (a length, a checksum, redis-cli's "Transfer finished") and
     * the error a missing database is told apart by: those are read as printed, so such a password
     * fails nothing. The source check of a pod's exec stream is on here.
     */
    @Test
    void aPasswordThatAppearsInAToolsReportFailsNothing() throws Exception {
        DatabaseTarget target = TargetParser.parse(targetUrl());
        DatabaseTarget other = TargetParser.parse(otherTargetUrl());
        Map<String, String> before = fingerprint().take();
        ProcessRunner masking = maskingWeakWords();
        Engine engine = Engines.forTarget(target);
        // told apart the same way masked or not (another Redis server is not even listening: both fail)
        String unmasked = existence(() -> engine.targetExists(runner(), other));
        assertThat(existence(() -> engine.targetExists(masking, other))).as("whether " + other + " exists")
                .isEqualTo(unmasked);

        Manifest manifest = snapshot(masking, target);
        spoil();
        restore(masking, target, manifest);

        assertThat(fingerprint().take()).isEqualTo(before);
    }

    /** "true", "false", or the kind of failure. */
    private static String existence(java.util.concurrent.Callable<Boolean> exists) {
        try {
            return String.valueOf(exists.call());
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    /** {@link #runner()}, with every digit, hex letter and a few words masked as secrets, over a transport that can lose bytes. */
    private ProcessRunner maskingWeakWords() {
        ProcessRunner plain = runner();
        List<String> weak = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
                "s", "t", "n", "o", "size", "sha256", "success", "bytes", "ERROR", "database", "exist", "Unknown",
                "contract", "other", "accessed", "users");
        return new ProcessRunner() {
            @Override
            public RunningProcess start(Command command) {
                java.util.Set<String> secrets = new java.util.HashSet<>(command.secrets());
                secrets.addAll(weak);
                return plain.start(new Command(command.argv(), command.env(), secrets));
            }

            @Override
            public boolean transportCanLoseBytes() {
                return true;
            }
        };
    }

    @Test
    void theSourceIsNamedTheSameEachTimeAndApartFromOtherDatabases() throws Exception {
        Engine engine = Engines.forName(engineName());
        DatabaseTarget target = TargetParser.parse(targetUrl());
        ManifestSource source = engine.source(target);

        assertThat(engine.source(TargetParser.parse(targetUrl()))).isEqualTo(source);
        assertThat(source.name()).as("one folder of the store").matches("[A-Za-z0-9._-]+");
        ManifestSource other = engine.source(TargetParser.parse(otherTargetUrl()));
        assertThat(other.name()).isNotEqualTo(source.name());
        assertThat(SnapshotEntry.identity(engineName(), other)).isNotEqualTo(SnapshotEntry.identity(engineName(), source));
        assertThat(snapshot(runner(), target).source()).isEqualTo(source);
    }

    @Test
    void aTargetMissingWhatItNeedsIsRefusedSayingWhat() {
        assertThat(refusedTargets()).isNotEmpty();
        refusedTargets().forEach((url, says) -> assertThatThrownBy(() -> Engines.forTarget(TargetParser.parse(url)))
                .as(url).isInstanceOf(DbsnapException.class).hasMessageContaining(says));
        assertThat(Engines.forName(engineName()).name()).isEqualTo(engineName());
    }

    private Manifest snapshot(ProcessRunner runner, DatabaseTarget target) {
        return new SnapshotWriter(runner, Clock.systemUTC()).take(Engines.forTarget(target), target,
                new FileObjectStore(storeDir), SnapshotRequest.named("contract"), TransferListener.NONE);
    }

    private SnapshotEntry entry(Manifest manifest) {
        return new SnapshotCatalog(new FileObjectStore(storeDir), w -> { }).list().stream()
                .filter(e -> e.id().equals(manifest.id()) && e.manifest().source().equals(manifest.source()))
                .findFirst().orElseThrow();
    }

    private void restore(ProcessRunner runner, DatabaseTarget target, Manifest manifest) {
        FileObjectStore store = new FileObjectStore(storeDir);
        new SnapshotRestorer(runner, new SnapshotWriter(runner, Clock.systemUTC()), scratch).restore(
                Engines.forTarget(target), target, store, entry(manifest),
                new SnapshotRestorer.Request(false, new RestoreOptions(false, 1)), TransferListener.NONE);
    }

    /** Runs locally and keeps every command it was given. */
    private static final class Recording implements ProcessRunner {
        final List<Command> commands = new CopyOnWriteArrayList<>();
        private final LocalProcessRunner local = new LocalProcessRunner();

        @Override
        public RunningProcess start(Command command) {
            commands.add(command);
            return local.start(command);
        }
    }
}
