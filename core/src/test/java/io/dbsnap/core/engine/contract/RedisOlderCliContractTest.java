package io.dbsnap.core.engine.contract;

import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis contract with a redis-cli that says it is 6.2 (the real one behind a shim): one that
 * cannot be trusted to write an RDB to a pipe gets a temporary file, as every redis-cli did before.
 */
class RedisOlderCliContractTest extends RedisContractTest {

    @TempDir
    static Path shims;

    @BeforeAll
    static void shim() throws Exception {
        String real = java.util.Arrays.stream(System.getenv("PATH").split(":")).map(d -> Path.of(d, "redis-cli"))
                .filter(Files::isExecutable).findFirst().orElseThrow().toString();
        Path cli = shims.resolve("redis-cli");
        Files.writeString(cli, """
                #!/bin/sh
                [ "$1" = --version ] && { echo "redis-cli 6.2.14"; exit 0; }
                echo "$*" >> "$(dirname "$0")/calls"
                exec '%s' "$@"
                """.formatted(real));
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    ProcessRunner runner() {
        LocalProcessRunner local = new LocalProcessRunner();
        return new ProcessRunner() {
            @Override
            public RunningProcess start(Command command) {
                Map<String, String> env = new LinkedHashMap<>(command.env());
                env.put("PATH", shims + ":" + System.getenv("PATH"));
                return local.start(new Command(command.argv(), env, command.secrets()));
            }
        };
    }

    @Test
    void theRdbWentThroughATemporaryFileNotThePipe() throws Exception {
        aSnapshotRestoresTheSameData();
        String calls = Files.readString(shims.resolve("calls"));
        assertThat(calls).contains("--rdb ./.dbsnap-copy.").doesNotContain("--rdb -");
    }
}
