package io.dbsnap.core.pipeline;

import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ForwardingProcess;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import io.dbsnap.core.process.SecretScrubber;


import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts and hashes a dump where it is taken. Exec streams are known to end early while the exec
 * still reports success, so a dump run through a transport that can lose bytes is wrapped in a small
 * {@code sh} script: the dump's stdout goes through {@code tee} into {@code wc -c} and a SHA-256 tool
 * over two fifos (no temporary copy of the data), and the numbers follow on stderr once the dump has
 * ended. The receiving end compares them with what arrived before anything is committed.
 */
public final class SourceDigest {

    /** A shell function {@code sha256} printing the hex SHA-256 of stdin, or {@code none} when no tool can. */
    public static final String SHA256_FUNCTION = """
            sha256() {
              if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r | cut -d' ' -f1
              elif command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1
              elif command -v busybox >/dev/null 2>&1 && busybox sha256sum </dev/null >/dev/null 2>&1; then busybox sha256sum | cut -d' ' -f1
              else cat >/dev/null; echo none; fi
            }
            """;

    // openssl first: it uses the CPU's SHA instructions, sha256sum (coreutils 9.1) does not and is 3x slower
    private static final String WRAPPER = "set -u\n"
            + "nonce=$1; shift\n"
            // without tee the fifos' readers would wait for a writer forever: say what is missing instead
            + "for tool in tee mkfifo mktemp wc cut tr cat; do command -v \"$tool\" >/dev/null 2>&1 || "
            + "{ echo \"dbsnap: the container has no $tool, which checking the dump where it is taken needs\" >&2; "
            + "exit 69; }; done\n"
            // two fifos and three small files: any writable directory will do
            + "d=\n"
            + "for base in \"${TMPDIR:-}\" /tmp /dev/shm /var/tmp \"${HOME:-}\"; do "
            + "[ -n \"$base\" ] && d=$(mktemp -d \"$base/dbsnap-stream.XXXXXXXX\" 2>/dev/null) && break; d=; done\n"
            + "[ -n \"$d\" ] || { echo \"dbsnap: no writable temporary directory (TMPDIR, /tmp, /dev/shm, /var/tmp, "
            + "HOME) for two fifos; mount an emptyDir at /tmp\" >&2; exit 70; }\n"
            + "pids=\n"
            + "trap 'kill $pids 2>/dev/null; rm -rf \"$d\"' EXIT\n"
            + "trap 'exit 143' HUP INT TERM\n"
            + "mkfifo \"$d/hash\" \"$d/count\" || exit 70\n"
            + SHA256_FUNCTION
            + "sha256 < \"$d/hash\" > \"$d/sum\" &\n"
            + "pids=\"$pids $!\"\n"
            + "wc -c < \"$d/count\" > \"$d/size\" &\n"
            + "pids=\"$pids $!\"\n"
            + "{ \"$@\"; echo $? > \"$d/rc\"; } | tee \"$d/hash\" \"$d/count\"\n"
            + "out=$?\n"
            + "wait\n"
            + "pids=\n"
            + "rc=$(cat \"$d/rc\" 2>/dev/null) || rc=\n"
            // on a line of its own even when the dump's last words had no line end
            + "printf '\\ndbsnap-stream %s size=%s sha256=%s\\n' \"$nonce\" \"$(tr -d ' ' < \"$d/size\")\" "
            + "\"$(cat \"$d/sum\")\" >&2\n"
            + "[ \"$rc\" = 0 ] || exit \"${rc:-1}\"\n"
            + "exit \"$out\"\n";

    private static final SecureRandom RANDOM = new SecureRandom();

    private SourceDigest() {
    }

    /**
     * A fresh, unguessable word that marks this run's report, so that nothing the dump itself prints
     * on stderr (a database name, a row in an error message) can pass for it.
     */
    private static String newNonce() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** {@code dump}, run so that its stdout is counted and hashed where it runs; same name, environment and secrets. */
    static Command wrap(Command dump, String nonce) {
        List<String> args = new ArrayList<>();
        args.add(nonce);
        args.addAll(dump.argv());
        return Command.script(dump.program(), WRAPPER, args, dump.env(), dump.secrets());
    }

    /** Starts {@code dump} wrapped; its stderr reads as the dump's own, without the report. */
    public static Checked start(ProcessRunner runner, Command dump) {
        String nonce = newNonce();
        return new Checked(runner.start(wrap(dump, nonce)), nonce, dump.program(), new SecretScrubber(dump.secrets()));
    }

    /** A dump started through the wrapper. */
    public static final class Checked extends ForwardingProcess {
        private final String nonce;
        private final String program;
        private final SecretScrubber scrubber;

        Checked(RunningProcess process, String nonce, String program, SecretScrubber scrubber) {
            super(process);
            this.nonce = nonce;
            this.program = program;
            this.scrubber = scrubber;
        }

        /** After the dump ended: fails unless {@code size} bytes with {@code sha256Hex} are what the source wrote. */
        public void verify(long size, String sha256Hex) {
            SourceDigest.verify(delegate.unscrubbedStderrTail(), nonce, size, sha256Hex, program);
        }

        @Override
        public String stderrTail() {
            // the report is taken out before masking: a weak password masked into it would hide it from the pattern
            return scrubber.scrub(unscrubbedStderrTail());
        }

        @Override
        public String unscrubbedStderrTail() {
            return reportLine(nonce).matcher(delegate.unscrubbedStderrTail()).replaceAll("");
        }
    }

    private static Pattern reportLine(String nonce) {
        return Pattern.compile("(?m)^dbsnap-stream " + Pattern.quote(nonce) + " size=(\\d*) sha256=([0-9a-f]{64}|none)?$\n?");
    }

    /**
     * Fails unless the bytes that arrived ({@code size}, {@code sha256Hex}) are the ones the source
     * reported on {@code stderr} under {@code nonce}. A missing report fails too: the wrapper always
     * prints one once the dump has ended.
     */
    static void verify(String stderr, String nonce, long size, String sha256Hex, String program) {
        Matcher report = reportLine(nonce).matcher(stderr);
        String reportedSize = null;
        String reportedSum = null;
        while (report.find()) {
            reportedSize = report.group(1);
            reportedSum = report.group(2);
        }
        if (reportedSize == null || reportedSize.isEmpty() || reportedSum == null) {
            throw new DumpIncompleteException(program + " ended without reporting the size and SHA-256 of what it "
                    + "wrote; the " + size + " bytes that arrived are not trusted and nothing was stored");
        }
        long sent = Long.parseLong(reportedSize);
        if (sent != size) {
            throw new DumpIncompleteException(program + " wrote " + sent + " bytes at the source but " + size
                    + " arrived (the stream was cut); nothing was stored");
        }
        if (!reportedSum.equals("none") && !reportedSum.equals(sha256Hex)) {
            throw new DumpIncompleteException(program + " wrote " + sent + " bytes with SHA-256 " + reportedSum
                    + " at the source but the " + size + " bytes that arrived have SHA-256 " + sha256Hex
                    + "; nothing was stored");
        }
    }
}
