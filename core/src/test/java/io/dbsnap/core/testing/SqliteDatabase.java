package io.dbsnap.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SQLite databases for tests, through the {@code sqlite3} shell: a sample in WAL mode with the types,
 * an index, a view and a trigger, and a writer process that commits one row at a time to a log while
 * keeping a counter in the same transaction, so that any consistent copy has {@code count = n = max(seq)}.
 */
public final class SqliteDatabase {

    private SqliteDatabase() {
    }

    public static void create(Path db) throws IOException, InterruptedException {
        sql(db, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, payload BLOB);
                CREATE TABLE counter (n INTEGER NOT NULL);
                INSERT INTO counter VALUES (0);
                CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, score REAL, photo BLOB, note TEXT);
                CREATE INDEX people_name ON people (name);
                CREATE VIEW top_people AS SELECT name FROM people WHERE score > 90;
                CREATE TRIGGER people_log AFTER DELETE ON people BEGIN
                  INSERT INTO log (at, payload) VALUES ('deleted', old.name); UPDATE counter SET n = n + 1; END;
                WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 2000)
                INSERT INTO people SELECT x, 'person ' || x || CASE WHEN x % 10 = 0 THEN ' Grüße 🦀' ELSE '' END,
                  x / 20.0, randomblob(64), CASE WHEN x % 3 = 0 THEN NULL ELSE 'it''s "quoted"' END FROM i;
                """);
    }

    /** Runs SQL with the sqlite3 shell; returns its output ({@code |}-separated). */
    public static String sql(Path db, String sql) throws IOException, InterruptedException {
        return TestProcesses.run(List.of("sqlite3", "-bail", db.toString()), Map.of(), ".timeout 10000\n" + sql);
    }

    /** The whole database as SQL text: equal dumps, equal databases. */
    public static String dump(Path db) throws IOException, InterruptedException {
        return sql(db, ".dump");
    }

    public static Writer startWriter(Path db) throws IOException {
        return new Writer(db);
    }

    /** Another process writing: {@code sqlite3} fed one small transaction after another on stdin. */
    public static final class Writer implements AutoCloseable {
        private final Process process;
        private final Thread feeder;
        private final AtomicLong commits = new AtomicLong();
        private final Path db;
        private volatile boolean stop;

        Writer(Path db) throws IOException {
            this.db = db;
            process = new ProcessBuilder("sqlite3", "-bail", db.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            feeder = new Thread(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(".timeout 10000\n".getBytes(StandardCharsets.UTF_8));
                    while (!stop) {
                        in.write(("BEGIN; INSERT INTO log (at, payload) VALUES (datetime('now'), randomblob(2000)); "
                                + "UPDATE counter SET n = n + 1; COMMIT;\n").getBytes(StandardCharsets.UTF_8));
                        in.flush();
                        commits.incrementAndGet();
                        Thread.sleep(1);
                    }
                } catch (IOException | InterruptedException e) {
                    // the writer is stopped by closing
                }
            }, "sqlite-writer");
            feeder.start();
        }

        /** Transactions handed to the writer so far; {@link #awaitCommits} waits for what is committed. */
        public long commits() {
            return commits.get();
        }

        /** Waits until {@code n} transactions are committed: the database's own counter says so, not the pipe. */
        public void awaitCommits(long n) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (committed() < n) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the sqlite3 writer died");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the sqlite3 writer committed " + committed() + " of " + n
                            + " transactions in 60 s");
                }
                Thread.sleep(10);
            }
        }

        private long committed() throws IOException, InterruptedException {
            String n = sql(db, "SELECT n FROM counter;").strip();
            return n.isEmpty() ? 0 : Long.parseLong(n);
        }

        @Override
        public void close() throws Exception {
            stop = true;
            feeder.join();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
