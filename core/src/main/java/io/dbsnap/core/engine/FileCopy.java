package io.dbsnap.core.engine;

/**
 * Dumps that are a copy of a file (SQLite's, and an RDB from a redis-cli before 7.0): the tool writes
 * its consistent copy into a temporary file, which is then printed and removed. Neither can write its
 * copy to a pipe as it makes it (see the README's "Engines"), so the temporary file is the one copy of
 * the data at the source.
 */
public final class FileCopy {

    private FileCopy() {
    }

    /**
     * A {@code sh} script: {@code produce} writes the copy to {@code "$tmp"}, a fresh file in the
     * directory {@code dirExpression} names (a shell expression), removed however the script ends.
     */
    public static String dumpScript(String dirExpression, String produce) {
        // made from inside the directory, the file's name is only safe characters, whatever the directory is
        // called: sqlite3's .backup reads it as a quoted dot-command argument
        return "set -eu\n"
                + "cd \"" + dirExpression + "\"\n"
                + "tmp=$(mktemp ./.dbsnap-copy.XXXXXXXX)\n"
                + "trap 'rm -f \"$tmp\"' EXIT\n"
                + "trap 'exit 143' HUP INT TERM\n"
                + produce + "\n"
                + "cat \"$tmp\"\n";
    }
}
