package io.dbsnap.operator.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbsnap.operator.CrdRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SnapshotSchedule CRD in crds/, as {@code make crds} generates it: admission refuses what it can
 * tell is not a 5-field cron expression, the spec (its template too) may be edited, and kubectl shows
 * the columns DESIGN.md names.
 */
class ScheduleCrdTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String TEMPLATE = "snapshotTemplate: {spec: {source: {pod: {name: db-0}}, storage: {s3: "
            + "{bucket: b, credentialsSecret: {name: s3}}}}}\n";
    private static JsonNode crd;

    @BeforeAll
    static void read() throws Exception {
        crd = YAML.readTree(Files.readString(Path.of("").toAbsolutePath().getParent()
                .resolve("crds/snapshotschedules.dbsnap.io.yaml")));
    }

    private static JsonNode spec() {
        return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties")
                .path("spec");
    }

    private static List<String> onCreate(String schedule) throws Exception {
        return CrdRules.onCreate(spec(), YAML.readTree("schedule: '" + schedule + "'\n" + TEMPLATE), "spec");
    }

    @Test
    void theResourceIsNamedAsDesignSaysWithItsColumns() {
        assertThat(crd.path("spec").path("names").path("shortNames").get(0).asText()).isEqualTo("dbschedule");
        List<String> columns = new ArrayList<>();
        crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")
                .forEach(c -> columns.add(c.path("name").asText().toUpperCase() + (c.path("priority").asInt() > 0
                        ? " (wide)" : "")));
        assertThat(columns).containsExactly("SCHEDULE", "TIMEZONE", "SUSPEND", "LAST SUCCESS", "NEXT", "ACTIVE", "AGE",
                "LAST SNAPSHOT (wide)", "MISSED (wide)");
        assertThat(spec().path("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("schedule", "snapshotTemplate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 2 * * *", "@daily", "@hourly", " */15 9-17 * * 1-5 ", "@yearly", "0 0 1 1 *"})
    void fiveFieldsAndNicknamesAreAdmitted(String schedule) throws Exception {
        assertThat(onCreate(schedule)).as(schedule).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 2 * * *", "0 2 * *", "@every 5m", "", "0 2 * * * 2027", "@reboot"})
    void whatIsNotFiveFieldsIsRefusedShowingTheForm(String schedule) throws Exception {
        assertThat(onCreate(schedule)).as(schedule).singleElement().asString()
                .contains("minute hour day-of-month month day-of-week", "0 2 * * *");
    }

    @Test
    void aZonePrefixIsRefusedPointingAtTimeZone() throws Exception {
        assertThat(onCreate("CRON_TZ=Europe/Berlin 0 2 * * *")).anySatisfy(m -> assertThat(m).contains("set timeZone"));
        assertThat(onCreate("TZ=UTC 0 2 * *")).anySatisfy(m -> assertThat(m).contains("set timeZone"));
    }

    @Test
    void theSpecAndItsTemplateMayBeEdited() throws Exception {
        JsonNode before = YAML.readTree("schedule: '@daily'\n" + TEMPLATE);
        JsonNode after = YAML.readTree("schedule: '@hourly'\nsuspend: true\n" + TEMPLATE.replace("db-0", "db-1"));
        assertThat(CrdRules.onUpdate(spec(), before, after, "spec")).isEmpty();
    }

    @Test
    void durationsHaveTheirShapes() {
        String jitter = spec().path("properties").path("jitter").path("pattern").asText();
        assertThat(List.of("15m", "1h30m", "90s")).allSatisfy(v -> assertThat(v).matches(jitter));
        assertThat(List.of("15", "1d", "-5m", "15 m")).allSatisfy(v -> assertThat(v).doesNotMatch(jitter));
        String maxAge = spec().path("properties").path("retention").path("properties").path("maxAge").path("pattern")
                .asText();
        assertThat(List.of("36h", "400d", "8w")).allSatisfy(v -> assertThat(v).matches(maxAge));
        assertThat(List.of("1y", "30m", "d", "P30D")).allSatisfy(v -> assertThat(v).doesNotMatch(maxAge));
    }
}
