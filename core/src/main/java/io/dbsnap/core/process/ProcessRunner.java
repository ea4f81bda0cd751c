package io.dbsnap.core.process;

import io.dbsnap.core.DbsnapException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Starts commands: as local processes today, and in a database pod through the Kubernetes API. */
public interface ProcessRunner {

    RunningProcess start(Command command);

    /** Runs a command that reads nothing and prints little; returns its stdout, fails on a non-zero exit. */
    default String run(Command command, String doing) {
        return run(command, new byte[0], doing);
    }

    /** Runs a command with a small stdin; returns its stdout, fails on a non-zero exit. */
    default String run(Command command, byte[] stdin, String doing) {
        try (RunningProcess process = start(command)) {
            try (OutputStream in = process.stdin()) {
                in.write(stdin);
            } catch (IOException e) {
                // the command ended without reading; its exit status says why
            }
            byte[] out = process.stdout().readAllBytes();
            process.awaitSuccess(doing);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DbsnapException(doing + " failed: " + e.getMessage(), e);
        }
    }
}
