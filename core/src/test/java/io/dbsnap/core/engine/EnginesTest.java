package io.dbsnap.core.engine;

import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.database.TargetParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which engine a scheme, a name or a container image means; and that no engine puts a password in argv. */
class EnginesTest {

    @Test
    void theRegistryHoldsExactlyTheEnginesTheCrdAllows() {
        // the API lists them for the CRD's pattern and the operator's check; adding an engine adds it there too
        assertThat(Engines.names()).isEqualTo(SnapshotSource.engineNames());
        // and the CRD's rule "a file engine needs path" names the one engine whose target is a file
        assertThat(java.util.Arrays.stream(SnapshotSource.engineNames().split(", ")).map(Engines::forName)
                .filter(e -> e.targetKind() == Engine.TargetKind.FILE).map(Engine::name))
                .containsExactly(SnapshotSource.FILE_ENGINE);
    }

    @ParameterizedTest
    @CsvSource({
            "postgres:16, postgresql",
            "docker.io/bitnami/postgresql:16.3.0-debian-12-r1, postgresql",
            "ghcr.io/cloudnative-pg/postgresql:16.2, postgresql",
            "mysql:8.4, mysql",
            "docker.io/bitnami/mysql:8.0, mysql",
            "percona/percona-server:8.0, mysql",
            "mariadb:11.4, mariadb",
            "docker.io/bitnami/mariadb:11.4@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, mariadb",
            "quay.io/mariadb-foundation/mariadb-devel:11.6, ''",
            "redis:7.2-alpine, redis",
            "registry.example.com:5000/bitnami/redis:7.2, redis",
            "redis/redis-stack-server:7.2.0-v9, redis",
            "nginx:1.27, ''",
    })
    void theImageTellsTheEngine(String image, String engine) {
        assertThat(Engines.forImage(image).map(Engine::name).orElse("")).isEqualTo(engine == null ? "" : engine);
    }

    @Test
    void schemesAndNamesFindTheirEngines() {
        assertThat(Engines.forScheme("mysql").name()).isEqualTo("mysql");
        assertThat(Engines.forScheme("mariadb").name()).isEqualTo("mariadb");
        assertThat(Engines.forScheme("redis").name()).isEqualTo("redis");
        assertThat(Engines.forScheme("sqlite").name()).isEqualTo("sqlite");
        assertThat(Engines.names()).isEqualTo("mariadb, mysql, postgresql, redis, sqlite");
        assertThatThrownBy(() -> Engines.forName("mongodb")).hasMessageContaining("mariadb, mysql, postgresql, redis, sqlite");
    }

    @ParameterizedTest
    @CsvSource({
            "mariadb://app:s3cr%40t@db:3306/orders, s3cr@t",
            "mysql://root:s3cret@127.0.0.1/, s3cret",
            "redis://:s3cret@cache:6380, s3cret",
            "redis://default:s3cret@cache:6380/0, s3cret",
    })
    void passwordsTravelOnlyInTheEnvironment(String url, String password) {
        var target = TargetParser.parse(url);
        Engine engine = Engines.forTarget(target);
        Command dump = engine.dumpCommand(target);
        assertThat(String.join(" ", dump.argv())).doesNotContain(password);
        assertThat(dump.env()).containsValue(password);
        assertThat(dump.secrets()).contains(password);
    }

    @Test
    void targetsAreCheckedWithAMessageThatSaysWhatToWrite() {
        assertThatThrownBy(() -> Engines.forTarget(TargetParser.parse("sqlite://app.db")))
                .isInstanceOf(DbsnapException.class).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> Engines.forTarget(TargetParser.parse("redis://h:6379/orders")))
                .hasMessageContaining("a snapshot holds every database");
        assertThatThrownBy(() -> Engines.forTarget(TargetParser.parse("mariadb://h/db?sslmode=x")))
                .hasMessageContaining("unknown parameter 'sslmode'");
    }

    @Test
    void sourcesNameTheServerAndWhatOfItIsSnapshotted() {
        assertThat(Engines.forScheme("mariadb").source(TargetParser.parse("mariadb://h:3307/shop")).name())
                .isEqualTo("h-3307-shop");
        // every database is the server's own folder, apart from any database's, even one named "all"
        assertThat(Engines.forScheme("mysql").source(TargetParser.parse("mysql://h/")).name()).isEqualTo("h-3306");
        assertThat(Engines.forScheme("mysql").source(TargetParser.parse("mysql://h/all")).name()).isEqualTo("h-3306-all");
        assertThat(Engines.forScheme("redis").source(TargetParser.parse("redis://cache")).name()).isEqualTo("cache-6379");
        assertThat(Engines.forScheme("sqlite").source(TargetParser.parse("sqlite:///data/app.db")).name())
                .matches("sqlite-data-app\\.db-[0-9a-f]{8}");
        // what readability loses, the hash keeps apart
        assertThat(Engines.forScheme("sqlite").source(TargetParser.parse("sqlite:///data-app.db")).name())
                .matches("sqlite-data-app\\.db-[0-9a-f]{8}")
                .isNotEqualTo(Engines.forScheme("sqlite").source(TargetParser.parse("sqlite:///data/app.db")).name());
        assertThat(Engines.forScheme("mariadb").source(TargetParser.parse("mariadb://h:3307/Shop")).name())
                .matches("h-3307-shop-[0-9a-f]{8}");
        assertThat(Engines.forScheme("sqlite").dataFileName(TargetParser.parse("sqlite:///data/app.db")))
                .isEqualTo("app.db");
    }
}
