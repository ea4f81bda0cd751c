package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.pipeline.ChecksumMismatchException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dumps that are a copy of a file (SQLite, a Redis RDB). The copy is made into a temporary file
 * next to the database, its size and SHA-256 are computed there, then it is streamed out and the
 * numbers follow on stderr. Exec streams are known to end early without an error, so the bytes
 * that arrived are checked against the numbers taken at the source before anything is stored.
 */
public final class FileCopy {

    private static final Pattern REPORT = Pattern.compile("(?m)^dbsnap-copy size=(\\d+) sha256=([0-9a-f]{64}|none)$");

    private FileCopy() {
    }

    /**
     * A {@code sh} script: {@code produce} writes the copy to {@code "$tmp"} (a fresh temporary file,
     * removed at the end), then the script prints it and reports its size and SHA-256 on stderr.
     * Without sha256sum, openssl or busybox in the image, only the size is reported ({@code none}).
     */
    public static String dumpScript(String produce) {
        return "set -eu\n"
                + "tmp=$(mktemp \"${TMPDIR:-/tmp}/dbsnap.XXXXXXXX\")\n"
                + "trap 'rm -f \"$tmp\"' EXIT\n"
                + "trap 'exit 143' HUP INT TERM\n"
                + produce + "\n"
                + "size=$(wc -c < \"$tmp\" | tr -d ' ')\n"
                + SHA256_FUNCTION
                + "sum=$(sha256 < \"$tmp\")\n"
                + "cat \"$tmp\"\n"
                + "echo \"dbsnap-copy size=$size sha256=$sum\" >&2\n";
    }

    /** A shell function {@code sha256} printing the hex SHA-256 of stdin, or {@code none} when no tool can. */
    static final String SHA256_FUNCTION = """
            sha256() {
              if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1
              elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r | cut -d' ' -f1
              elif command -v busybox >/dev/null 2>&1 && busybox sha256sum </dev/null >/dev/null 2>&1; then busybox sha256sum | cut -d' ' -f1
              else cat >/dev/null; echo none; fi
            }
            """;

    /**
     * Fails unless the bytes that arrived ({@code size}, {@code sha256Hex}) are the copy the source
     * reported on {@code stderr}. A missing report is a failure too: the script always prints one.
     */
    public static void verify(String stderr, long size, String sha256Hex, String what) {
        Matcher report = REPORT.matcher(stderr);
        String reportedSize = null;
        String reportedSum = null;
        while (report.find()) {
            reportedSize = report.group(1);
            reportedSum = report.group(2);
        }
        if (reportedSize == null) {
            throw new DbsnapException(what + " ended without reporting the size and SHA-256 of its copy; "
                    + "the copy is not trusted");
        }
        if (Long.parseLong(reportedSize) != size) {
            throw new ChecksumMismatchException(what + ": " + size + " bytes arrived but the copy at the source has "
                    + reportedSize + " (the stream was cut)");
        }
        if (!reportedSum.equals("none") && !reportedSum.equals(sha256Hex)) {
            throw new ChecksumMismatchException(what + ": the bytes that arrived have SHA-256 " + sha256Hex
                    + " but the copy at the source has " + reportedSum);
        }
    }
}
