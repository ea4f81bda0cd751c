package io.dbsnap.cli;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.crypto.AgeKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;

/**
 * {@code dbsnap keygen}: a new age identity, written as age-keygen writes one, so the age tool reads it
 * and dbsnap reads age-keygen's. Its recipient goes to stderr (to stdout only with no file).
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = {
        "Make an age identity for encrypted snapshots: dbsnap keygen -o key.txt prints the recipient (age1...) "
                + "to give to create --recipient or a snapshot's spec.encryption; keep key.txt secret"})
final class KeygenCommand implements Callable<Integer> {

    private final CliContext context;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "write the identity to FILE (created 0600, never overwritten); default: stdout")
    Path output;

    @Option(names = {"-y"}, paramLabel = "FILE", description = "print the recipient of the identity in FILE, as age-keygen -y")
    Path convert;

    KeygenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        if (convert != null) {
            for (String identity : AgeKeys.identityFile(context.workingDirectory().resolve(convert))) {
                context.out().println(AgeKeys.recipientOf(identity));
            }
            return 0;
        }
        AgeKeys.Generated key = AgeKeys.generate();
        context.addSecret(key.identity());
        String file = "# created: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n"
                + "# public key: " + key.recipient() + "\n" + key.identity() + "\n";
        if (output == null) {
            context.out().print(file);
            context.out().flush();
            return 0;
        }
        Path path = context.workingDirectory().resolve(output);
        try {
            // created with 0600 at once: the key is never readable by others, not even for a moment
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new DbsnapException(path + " exists; an identity is never overwritten (other snapshots may need it)");
        }
        Files.writeString(path, file, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        context.err().println("Public key: " + key.recipient());
        return 0;
    }
}
