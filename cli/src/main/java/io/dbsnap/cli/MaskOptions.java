package io.dbsnap.cli;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.mask.MaskKey;
import io.dbsnap.core.mask.MaskRules;
import io.dbsnap.core.mask.Masking;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --mask RULES.yaml} and its key, shared by {@code restore} and {@code pull --restore}. */
final class MaskOptions {

    @Option(names = "--mask", paramLabel = "RULES.yaml",
            description = "mask rows on their way in by these rules (PostgreSQL, MySQL/MariaDB); see samples/mask-rules.yaml")
    Path rules;

    @Option(names = "--mask-key-file", paramLabel = "FILE",
            description = "the secret key of hash and fake rules (else $" + MaskKey.ENVIRONMENT + ")")
    Path keyFile;

    /** The masking asked for, read and checked now, before anything is downloaded; null for none. */
    Masking masking(CliContext context) {
        if (rules == null) {
            if (keyFile != null) {
                throw new DbsnapException("--mask-key-file is the key of --mask rules: give --mask RULES.yaml too");
            }
            return null;
        }
        Path file = context.workingDirectory().resolve(rules);
        Path key = keyFile == null ? null : context.workingDirectory().resolve(keyFile);
        return new Masking(MaskRules.read(file), MaskKey.find(key, context.env()));
    }
}
