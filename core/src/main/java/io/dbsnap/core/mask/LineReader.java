package io.dbsnap.core.mask;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a dump into lines without decoding them, so lines nothing masks pass through as bytes. One line
 * is held at a time: a row (COPY) or a statement (mysqldump's INSERT), never the table.
 */
final class LineReader {

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int start;
    private int end;
    private byte[] line = new byte[1 << 12];
    private int length;
    private boolean newline;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line into {@link #bytes()}; false at the end. */
    boolean next() throws IOException {
        length = 0;
        newline = false;
        while (true) {
            if (start == end) {
                int n = in.read(buffer);
                if (n < 0) {
                    return length > 0;
                }
                start = 0;
                end = n;
            }
            int i = start;
            while (i < end && buffer[i] != '\n') {
                i++;
            }
            append(buffer, start, i - start);
            if (i < end) {
                start = i + 1;
                newline = true;
                return true;
            }
            start = end;
        }
    }

    private void append(byte[] bytes, int off, int len) {
        if (length + len > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + len));
        }
        System.arraycopy(bytes, off, line, length, len);
        length += len;
    }

    /** The line without its newline; valid until the next {@link #next()}. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    /** Whether the line ended with a newline (the last line of a stream may not). */
    boolean endedWithNewline() {
        return newline;
    }

    boolean startsWith(String ascii) {
        if (length < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (line[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean endsWith(String ascii) {
        if (length < ascii.length()) {
            return false;
        }
        int from = length - ascii.length();
        for (int i = 0; i < ascii.length(); i++) {
            if (line[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Writes the line as it came, newline included; true when it had one. */
    boolean copyTo(java.io.OutputStream out) throws IOException {
        out.write(line, 0, length);
        if (newline) {
            out.write('\n');
        }
        return newline;
    }

    String text() {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
