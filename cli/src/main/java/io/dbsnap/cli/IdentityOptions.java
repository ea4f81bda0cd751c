package io.dbsnap.cli;

import io.dbsnap.core.crypto.AgeIdentities;
import io.dbsnap.core.crypto.AgeKeys;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --identity FILE} (or {@code $DBSNAP_AGE_IDENTITY}): the age private keys encrypted snapshots are read with. */
public final class IdentityOptions {

    /** The environment variable that may hold an identity (the key itself, as age-keygen writes it). */
    static final String ENVIRONMENT = AgeKeys.IDENTITY_ENVIRONMENT;

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE",
            description = "an age identity file (age-keygen's, dbsnap keygen's) to decrypt encrypted snapshots; "
                    + "else $" + AgeKeys.IDENTITY_ENVIRONMENT)
    List<Path> files = new ArrayList<>();

    /** The identities given, checked now; none when neither the option nor the variable is there. */
    public AgeIdentities identities(CliContext context) {
        List<String> keys = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (Path file : files) {
            keys.addAll(AgeKeys.identityFile(context.workingDirectory().resolve(file)));
            origins.add(file.toString());
        }
        String fromEnvironment = context.env().get(ENVIRONMENT);
        if (files.isEmpty() && fromEnvironment != null && !fromEnvironment.isBlank()) {
            keys.addAll(AgeKeys.identityLines(fromEnvironment));
            origins.add("$" + ENVIRONMENT);
        }
        if (keys.isEmpty()) {
            return AgeIdentities.NONE;
        }
        keys.forEach(context::addSecret);
        return AgeIdentities.of(keys, String.join(", ", origins));
    }
}
