package io.dbsnap.core.database;

import io.dbsnap.core.DbsnapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetParserTest {

    @Test
    void parsesAFullUrl() {
        DatabaseTarget t = TargetParser.parse("postgresql://app:s3cr%40t@db.example:6543/orders?sslmode=require");
        assertThat(t.scheme()).isEqualTo("postgresql");
        assertThat(t.user()).isEqualTo("app");
        assertThat(t.password()).isEqualTo("s3cr@t");
        assertThat(t.host()).isEqualTo("db.example");
        assertThat(t.port()).isEqualTo(6543);
        assertThat(t.database()).isEqualTo("orders");
        assertThat(t.params()).isEqualTo(Map.of("sslmode", "require"));
        assertThat(t.toString()).isEqualTo("postgresql://app:****@db.example:6543/orders?sslmode=require");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://localhost/db|localhost||db",
            "postgres://u@127.0.0.1:5432/db|127.0.0.1|5432|db",
            "postgresql://[::1]:5433/x|::1|5433|x",
            "postgresql:///db|||db"})
    void parsesHostsPortsAndDatabases(String url, String host, Integer port, String database) {
        DatabaseTarget t = TargetParser.parse(url);
        assertThat(t.host()).isEqualTo(host);
        assertThat(t.port()).isEqualTo(port);
        assertThat(t.database()).isEqualTo(database);
        assertThat(t.passwordIfAny()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://u:hunter2@h/db|postgresql://u:****@h/db",
            "mysql://root:p%40ss:word@h:3306/x|mysql://root:****@h:3306/x",
            "redis://:hunter2@h:6379|redis://:****@h:6379",
            "postgresql://u@h/db|postgresql://u@h/db",
            "postgresql://u:pa/ss word@h/db|postgresql://u:****@h/db",
            "postgresql://u:pa#ss@h/db|postgresql://u:****@h/db",
            "postgresql://u:p@ss@h/db|postgresql://u:****@h/db",
            "postgresql://u@h/db?sslmode=require&password=hunter2|postgresql://u@h/db?sslmode=require&password=****"})
    void redactsPasswords(String url, String redacted) {
        assertThat(TargetParser.redact(url)).isEqualTo(redacted);
    }

    /** Each input has one outcome: parsed with this password, or this error; the password reaches no message. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://u:hun/ter2@h/db|hun/ter2|",
            "postgresql://u:hun ter2@h/db|hun ter2|",
            "postgresql://u:hun#ter2@h/db|hun#ter2|",
            "postgresql://u:hun?ter2@h/db|hun?ter2|",
            "postgresql://u:hun@ter2@h/db|hun@ter2|",
            "postgresql://u:hun%ter2@h/db|hun%ter2|",
            "postgresql://u:hunter2@h:99999999999/db||cannot read host and port",
            "postgresql://u:hunter2@[::1/db||malformed TARGET",
            "postgresql://u:hunter2@h:5432:1/db||cannot read host and port",
            "postgresql://u@h/db?password=hunter2&x=%zz||Malformed escape pair",
            "postgresql://u@h/db?Password=hunter2&sslmod=x||unknown parameter 'sslmod'",
            "postgresql://u@h/db?sslpassword=hunter2||unknown parameter 'sslpassword'",
            "mysql://u:hunter2@h:3306/x?sock=/tmp/s||unknown parameter 'sock'",
            "redis://:hunter2@h:6379/orders||a Redis URL ends in the port or a database number",
            "sqlite://u:hunter2@h/db.sqlite||must name a database file by its absolute path"})
    void passwordsWithUnencodedSpecialCharactersNeverReachAMessage(String url, String password, String error) {
        if (error == null) {
            DatabaseTarget target = TargetParser.parse(url);
            io.dbsnap.core.engine.Engines.forTarget(target);
            assertThat(target.password()).isEqualTo(password);
            assertThat(target.toString()).doesNotContain(password);
            assertThat(TargetParser.secretsIn(url)).contains(password);
        } else {
            assertThatThrownBy(() -> io.dbsnap.core.engine.Engines.forTarget(TargetParser.parse(url)))
                    .isInstanceOf(DbsnapException.class).hasMessageContaining(error)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("ter2"));
            assertThat(TargetParser.secretsIn(url)).contains("hunter2");
        }
    }

    @Test
    void aPasswordQueryParameterIsThePassword() {
        DatabaseTarget t = TargetParser.parse("postgresql://u@h/db?password=s%40cret&sslmode=disable");
        assertThat(t.password()).isEqualTo("s@cret");
        assertThat(t.params()).containsOnlyKeys("sslmode");
        assertThat(TargetParser.secretsIn("postgresql://u@h/db?password=s%40cret")).contains("s%40cret", "s@cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:5432/db", "hunter2", "postgresql//u:hunter2@h/db", "://u:hunter2@h/db",
            "postgresql://u:hunter2@h:port/db", "postgresql://u:hunter2@h/db with space"})
    void malformedUrlsFailClearlyWithoutThePassword(String url) {
        assertThatThrownBy(() -> TargetParser.parse(url))
                .isInstanceOf(DbsnapException.class)
                .hasMessageContaining("malformed TARGET")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("\n"));
    }
}
