package io.dbsnap.cli;

import io.dbsnap.api.job.AgentSnapshotArgs;
import io.dbsnap.core.crypto.AgeEncryption;
import io.dbsnap.core.crypto.AgeKeys;
import io.dbsnap.core.pipeline.StoredTransform;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --recipient age1...} and {@code --recipients-file FILE}: age encryption of what {@code create} stores. */
public final class EncryptionOptions {

    @Option(names = {"-r", AgentSnapshotArgs.RECIPIENT}, paramLabel = "age1...",
            description = "encrypt the snapshot to this age public key (repeatable); only its identity can read it back")
    public List<String> recipients = new ArrayList<>();

    @Option(names = {"-R", "--recipients-file"}, paramLabel = "FILE",
            description = "encrypt to every age public key in FILE, one per line (as age -R)")
    List<Path> recipientFiles = new ArrayList<>();

    /**
     * The transform asked for, every key checked now, before the dump starts: the options' recipients and
     * those in $DBSNAP_AGE_RECIPIENTS (one per line: how a Job gets them from a ConfigMap or Secret key).
     */
    public StoredTransform transform(CliContext context) {
        List<String> all = new ArrayList<>(recipients);
        recipientFiles.forEach(file -> all.addAll(AgeKeys.recipientsFile(context.workingDirectory().resolve(file))));
        String fromEnvironment = context.env().get(AgentSnapshotArgs.RECIPIENTS_ENV);
        boolean named = !recipientFiles.isEmpty() || fromEnvironment != null;
        if (fromEnvironment != null) {
            all.addAll(AgeKeys.recipientLines(fromEnvironment));
        }
        if (all.isEmpty()) {
            if (named) {
                throw new io.dbsnap.core.DbsnapException("the recipients file (or $" + AgentSnapshotArgs.RECIPIENTS_ENV
                        + ") names no age1... key; nothing would be able to read the snapshot");
            }
            return StoredTransform.NONE;
        }
        return AgeEncryption.to(all);
    }
}
