package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresEngineTest {

    private final PostgresEngine engine = new PostgresEngine();
    private final DatabaseTarget target = TargetParser.parse("postgresql://app:hunter2@db:6543/orders?sslmode=require");

    @Test
    void dumpsCustomFormatUncompressedWithCredentialsOnlyInTheEnvironment() {
        Command dump = engine.dumpCommand(target);
        assertThat(dump.argv()).containsExactly("pg_dump", "--format=custom", "--compress=0", "--no-password");
        assertThat(dump.env()).containsEntry("PGPASSWORD", "hunter2").containsEntry("PGHOST", "db")
                .containsEntry("PGPORT", "6543").containsEntry("PGUSER", "app").containsEntry("PGDATABASE", "orders")
                .containsEntry("PGSSLMODE", "require");
        assertThat(String.join(" ", dump.argv())).doesNotContain("hunter2");
        assertThat(dump.secrets()).containsExactly("hunter2");
    }

    @Test
    void sourceIsHostPortDatabase() {
        assertThat(engine.source(target).name()).isEqualTo("db-6543-orders");
        assertThat(engine.source(TargetParser.parse("postgresql:///x")).name()).isEqualTo("localhost-5432-x");
        assertThat(engine.source(target).namespace()).isEqualTo("local");
    }

    @Test
    void rejectsTargetsItCannotUse() {
        assertThatThrownBy(() -> engine.validate(TargetParser.parse("postgresql://u:hunter2@h:5432")))
                .isInstanceOf(DbsnapException.class).hasMessageContaining("names no database")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThatThrownBy(() -> engine.validate(TargetParser.parse("postgresql://h/db?sslmod=require")))
                .hasMessageContaining("unknown parameter 'sslmod'");
    }

    @Test
    void enginesAreFoundBySchemeWithAClearErrorOtherwise() {
        assertThat(Engines.forScheme("postgres")).isInstanceOf(PostgresEngine.class);
        assertThat(Engines.forScheme("POSTGRESQL")).isInstanceOf(PostgresEngine.class);
        assertThatThrownBy(() -> Engines.forScheme("oracle")).isInstanceOf(DbsnapException.class)
                .hasMessageContaining("unknown scheme 'oracle://'").hasMessageContaining("postgresql://");
    }
}
