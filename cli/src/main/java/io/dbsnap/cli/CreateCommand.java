package io.dbsnap.cli;

import io.dbsnap.api.storage.Sizes;
import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestCodec;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.pipeline.Compression;
import io.dbsnap.core.pipeline.SnapshotRequest;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;

@Command(name = "create", mixinStandardHelpOptions = true, description = "Snapshot a database into the store.")
final class CreateCommand extends StoreCommand {

    @Parameters(paramLabel = "TARGET", description = "the database, e.g. postgresql://user:password@host:5432/db")
    String targetUrl;

    @Option(names = "--compress", paramLabel = "ALGO", defaultValue = "zstd", description = "zstd (default), gzip or none")
    String compression;

    @Option(names = "--level", paramLabel = "N", description = "compression level (default: zstd 1, gzip 6)")
    Integer level;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "" + SnapshotRequest.DEFAULT_WORKERS,
            description = "zstd worker threads; 0 compresses on the copying thread (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--name", paramLabel = "NAME", description = "the snapshot's name, the end of its id (default: the database's name)")
    String name;

    @Option(names = "--source", paramLabel = "NAME", description = "the source name snapshots are grouped by (default: HOST-PORT-DATABASE)")
    String source;

    @Option(names = "--tag", paramLabel = "TAG", description = "a tag to find the snapshot by (restore --tag)")
    String tag;

    @Option(names = "--note", paramLabel = "TEXT", description = "a note kept in the manifest")
    String note;

    @Option(names = "--json", description = "print the manifest as JSON")
    boolean json;

    @picocli.CommandLine.Mixin
    EncryptionOptions encryption = new EncryptionOptions();

    CreateCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(ObjectStore store) {
        DatabaseTarget target = TargetParser.parse(targetUrl);
        Engine engine = Engines.forTarget(target);
        Compression algorithm = Compression.parse(compression);
        String snapshotName = name != null ? name : (defaultName(engine, target) + (tag != null ? "-" + tag : ""));
        SnapshotRequest request = SnapshotRequest.named(snapshotName).withTag(tag).withNote(note)
                .withSourceName(source)
                .withCompression(algorithm, level != null ? level : algorithm.defaultLevel(), workers)
                .withTransform(encryption.transform(context));
        Manifest manifest = new SnapshotWriter(new LocalProcessRunner(), Clock.systemUTC())
                .take(engine, target, store, request, progress());
        engine.caveat(manifest.engineVersion()).ifPresent(caveat -> context.err().println("dbsnap: warning: " + caveat));
        if (json) {
            context.out().println(ManifestCodec.toJsonString(manifest));
        } else {
            context.out().printf("created %s from %s: %s -> %s (%s), sha256:%s%n  %s%n", manifest.id(), target,
                    Sizes.human(manifest.rawSize()), Sizes.human(manifest.size()), manifest.compression()
                            + (manifest.recipients() == null ? "" : ", age-encrypted to " + manifest.recipients().size()
                            + " recipient(s)"),
                    manifest.dataFile().sha256(), store.location(SnapshotLayout.snapshotPrefix(manifest)));
        }
        return 0;
    }

    /** The database's name, a SQLite file's name, or the engine's where a snapshot holds a whole server. */
    private static String defaultName(Engine engine, DatabaseTarget target) {
        return target.database() == null ? engine.name()
                : java.nio.file.Path.of(target.database()).getFileName().toString();
    }
}
