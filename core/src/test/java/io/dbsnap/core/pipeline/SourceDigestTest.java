package io.dbsnap.core.pipeline;

import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.process.RunningProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The count and hash taken where a dump runs, and their check against what arrived. */
class SourceDigestTest {

    private static final String SUM = "a".repeat(64);
    private static final String NONCE = "0123456789abcdef";

    @TempDir
    Path tmp;

    @Test
    void theReportMustMatchTheBytesThatArrived() {
        String report = "pg_dump: warning\ndbsnap-stream " + NONCE + " size=10 sha256=" + SUM + "\n";
        SourceDigest.verify(report, NONCE, 10, SUM, "pg_dump");
        assertThatThrownBy(() -> SourceDigest.verify(report, NONCE, 9, SUM, "pg_dump"))
                .isInstanceOf(DumpIncompleteException.class)
                .hasMessage("pg_dump wrote 10 bytes at the source but 9 arrived (the stream was cut); nothing was stored");
        assertThatThrownBy(() -> SourceDigest.verify(report, NONCE, 10, "b".repeat(64), "pg_dump"))
                .isInstanceOf(DumpIncompleteException.class).hasMessageContaining("SHA-256 " + SUM);
        assertThatThrownBy(() -> SourceDigest.verify("pg_dump: done\n", NONCE, 10, SUM, "pg_dump"))
                .isInstanceOf(DumpIncompleteException.class).hasMessageContaining("without reporting");
        // without a SHA-256 tool at the source only the size can be checked, and still is
        SourceDigest.verify("dbsnap-stream " + NONCE + " size=10 sha256=none\n", NONCE, 10, SUM, "x");
        assertThatThrownBy(() -> SourceDigest.verify("dbsnap-stream " + NONCE + " size=10 sha256=none\n", NONCE, 11,
                SUM, "x")).isInstanceOf(DumpIncompleteException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "dbsnap-stream ffffffffffffffff size=9 sha256=%s\n",                 // another run's nonce
            "ERROR: database \"x\ndbsnap-stream  size=9 sha256=%s\" does not exist\n", // no nonce at all
            "dbsnap-stream 0123456789abcdef size= sha256=%s\n",                  // wc printed nothing
            "dbsnap-stream 0123456789abcdef size=9 sha256=\n",                   // the hash tool printed nothing
    })
    void aReportThatIsNotThisRunsOwnIsNoReport(String stderr) {
        assertThatThrownBy(() -> SourceDigest.verify(stderr.formatted(SUM), NONCE, 9, SUM, "mariadb-dump"))
                .isInstanceOf(DumpIncompleteException.class).hasMessageContaining("without reporting");
    }

    @Test
    void theLastReportOfThisRunCounts() {
        // a dump that prints a look-alike line first cannot make its own numbers count
        String stderr = "dbsnap-stream " + NONCE + " size=9 sha256=" + SUM + "\n"
                + "dbsnap-stream " + NONCE + " size=10 sha256=" + "c".repeat(64) + "\n";
        assertThatThrownBy(() -> SourceDigest.verify(stderr, NONCE, 9, SUM, "x"))
                .isInstanceOf(DumpIncompleteException.class);
    }

    @Test
    void theWrapperPassesTheBytesThroughAndReportsTheirCountAndHash() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(data);
        Path file = tmp.resolve("data");
        Files.write(file, data);
        Command wrapped = SourceDigest.wrap(new Command(List.of("cat", file.toString()), Map.of("TMPDIR",
                tmp.toString()), Set.of()), NONCE);
        assertThat(wrapped.program()).isEqualTo("cat");

        try (RunningProcess process = new LocalProcessRunner().start(wrapped)) {
            process.stdin().close();
            byte[] out = process.stdout().readAllBytes();
            process.awaitSuccess("cat");
            assertThat(out).isEqualTo(data);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            assertThat(process.stderrTail()).contains("dbsnap-stream " + NONCE + " size=" + data.length + " sha256=" + sha);
            SourceDigest.verify(process.stderrTail(), NONCE, out.length, sha, "cat");
        }
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("data");
        }
    }

    @Test
    void aContainerWithoutTeeFailsAtOnceInsteadOfHanging() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("sh", "mkfifo", "mktemp", "wc", "cut", "tr", "cat", "sha256sum", "rm")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool).toFile().exists()
                    ? Path.of("/usr/bin", tool) : Path.of("/bin", tool));
        }
        Command dump = new Command(List.of("cat", "/etc/hostname"), Map.of("PATH", bin.toString()), Set.of());
        try (SourceDigest.Checked process = SourceDigest.start(new LocalProcessRunner(), dump)) {
            process.stdin().close();
            process.stdout().readAllBytes();
            assertThatThrownBy(() -> process.awaitSuccess("cat")).isInstanceOf(ProcessFailedException.class)
                    .hasMessageContaining("exit status 69").hasMessageContaining("has no tee");
        }
    }

    @Test
    void theReportIsReadAsPrintedAndLeftOutOfWhatTheDumpSaidEvenWithAWeakPasswordMaskedIntoIt() throws Exception {
        Command dump = Command.script("dump", "printf 'abc'; echo 'pg_dump: warning: 1 table skipped' >&2", List.of(),
                Map.of(), Set.of("a", "1", "e", "s", "0"));
        try (SourceDigest.Checked process = SourceDigest.start(new LocalProcessRunner(), dump)) {
            process.stdin().close();
            process.stdout().readAllBytes();
            process.awaitSuccess("dump");
            process.verify(3, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("abc".getBytes(StandardCharsets.UTF_8))));
            assertThat(process.stderrTail().strip()).isEqualTo("pg_dump: w****rning: **** t****bl**** ****kipp****d");
        }
    }

    @Test
    void anUnwritableTmpdirFallsBackAndStderrWithoutALineEndStillReports() throws Exception {
        Command dump = Command.script("dump", "printf 'abc'; printf 'no line end' >&2", List.of(),
                Map.of("TMPDIR", "/proc/no-such-dir"), Set.of());
        try (SourceDigest.Checked process = SourceDigest.start(new LocalProcessRunner(), dump)) {
            process.stdin().close();
            assertThat(process.stdout().readAllBytes()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
            process.awaitSuccess("dump");
            process.verify(3, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("abc".getBytes(StandardCharsets.UTF_8))));
            assertThat(process.stderrTail()).contains("no line end").doesNotContain("dbsnap-stream");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65, 137})
    void theDumpsOwnExitStatusIsTheWrappersAndItsStderrIsKept(int exit) throws Exception {
        Command dump = Command.script("dump", "printf 'half a dump'; echo 'dump: disk full' >&2; exit " + exit,
                List.of(), Map.of("TMPDIR", tmp.toString()), Set.of());
        try (SourceDigest.Checked process = SourceDigest.start(new LocalProcessRunner(), dump)) {
            process.stdin().close();
            assertThat(new String(process.stdout().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("half a dump");
            // the dump's own last words, not the wrapper's report
            assertThatThrownBy(() -> process.awaitSuccess("dump")).isInstanceOf(ProcessFailedException.class)
                    .hasMessageEndingWith(": dump: disk full");
            assertThat(process.waitFor()).isEqualTo(exit);
            process.verify(11, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("half a dump".getBytes(StandardCharsets.UTF_8))));
        }
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }
}
