package io.dbsnap.cli;

import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code restore --mask} into real PostgreSQL databases: every rule does what it says on rows with tabs,
 * newlines, backslashes, quotes, unicode and NULLs; two masked restores are identical and a masked
 * column that is a foreign key still joins; a strict file that misses a column, a misspelt column, a rule
 * that does not fit its type and a missing key each fail before anything is touched; masking that makes a
 * unique column collide fails naming it, and the target keeps what it held.
 */
class PostgresMaskingTest extends WithPostgresAndS3 {

    static final String KEY = "k3y-for-masking-tests-0123456789";
    static final String RULES = """
            strict: true
            tables:
              crm.customers:
                id: hash
                email: hash
                name: fake name
                phone: fake phone
                notes: null
                iban: fake iban
                balance: sql round(balance, -2)
                country: fixed XX
                signed_up: keep
                ext_id: hash
                handle: hash
              orders:
                id: keep
                customer_email: hash
                customer_id: hash
                total: keep
            """;

    @TempDir
    Path work;
    Cli cli;

    @BeforeAll
    static void source() throws Exception {
        pg.createDatabase("crm_source");
        pg.psql("crm_source", """
                CREATE SCHEMA crm;
                CREATE TABLE crm.customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text, phone text,
                    notes text, iban text, balance numeric(12,2) NOT NULL, country char(2), signed_up date NOT NULL,
                    ext_id uuid, handle varchar(40));
                CREATE TABLE public.orders (id serial PRIMARY KEY,
                    customer_email text NOT NULL REFERENCES crm.customers(email),
                    customer_id bigint REFERENCES crm.customers(id), total numeric);
                INSERT INTO crm.customers
                SELECT i, 'user' || i || '@corp.example.org', 'Name ' || i || E'\\t"quoted"\\\\back',
                       '+49 30 ' || (1000000 + i),
                       CASE WHEN i % 3 = 0 THEN NULL ELSE E'line1\\nline2 ü ' || i END,
                       'DE89370400440532013' || lpad(i::text, 3, '0'), i * 1.5, 'DE', DATE '2020-01-01' + i,
                       md5(i::text)::uuid, CASE WHEN i % 5 = 0 THEN NULL ELSE 'Zoë_' || i || E'\\\\x' END
                FROM generate_series(1, 3000) i;
                INSERT INTO public.orders (customer_email, customer_id, total)
                SELECT 'user' || (i % 3000 + 1) || '@corp.example.org', i % 3000 + 1, i FROM generate_series(1, 9000) i;
                """);
    }

    @BeforeEach
    void files() throws Exception {
        cli = new Cli(work).fileStore(work.resolve("store")).env("DBSNAP_MASK_KEY", KEY);
        Files.writeString(work.resolve("rules.yaml"), RULES);
        cli.run("create", pg.url("crm_source"), "--tag", "masking").assertOk();
    }

    private Cli.Result restore(String target, String rules, String... more) throws Exception {
        Files.writeString(work.resolve("these-rules.yaml"), rules);
        List<String> args = new java.util.ArrayList<>(List.of("restore", pg.url(target), "--source",
                "local/127.0.0.1-" + pg.port() + "-crm_source", "--latest", "--force", "--no-backup",
                "--mask", "these-rules.yaml"));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    private String q(String db, String sql) throws Exception {
        return pg.psql(db, sql).strip();
    }

    @Test
    void everyRuleMasksAndForeignKeysStillJoin() throws Exception {
        String out = restore("crm_masked", RULES).assertOk().out();
        assertThat(out).contains("mask crm.customers.email: hash", "mask crm.customers.balance: sql round(balance, -2)",
                "masked, sha256 verified");

        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers")).isEqualTo("3000");
        assertThat(q("crm_masked", "SELECT count(*) FROM orders")).isEqualTo("9000");
        // both foreign keys were created over masked values, and every order still finds its customer by both
        assertThat(q("crm_masked", "SELECT count(*) FROM orders o JOIN crm.customers c ON c.email = o.customer_email "
                + "AND c.id = o.customer_id")).isEqualTo("9000");
        assertThat(q("crm_masked", "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")).isEqualTo("2");
        // no value of a masked column survives anywhere in either table's rows
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers c WHERE c::text LIKE '%@corp.example.org%' "
                + "OR c::text LIKE '%Name %'")).isEqualTo("0");
        assertThat(q("crm_masked", "SELECT count(*) FROM orders o WHERE o::text LIKE '%@corp.example.org%'")).isEqualTo("0");
        // nothing of the original stays where a rule changed it
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers WHERE email LIKE 'user%@corp.example.org' "
                + "OR name LIKE 'Name %' OR phone LIKE '+49 30%' OR iban LIKE 'DE89370400440532013%'")).isEqualTo("0");
        // hashed integers are a keyed permutation of the numbers of their length: other ids, none shared
        String ids = "SELECT string_agg(id::text, ',' ORDER BY signed_up) FROM crm.customers";
        assertThat(q("crm_masked", ids)).isNotEqualTo(q("crm_source", ids));
        assertThat(q("crm_masked", "SELECT count(DISTINCT id) || ' ' || sum(length(id::text)) FROM crm.customers"))
                .isEqualTo(q("crm_source", "SELECT count(DISTINCT id) || ' ' || sum(length(id::text)) FROM crm.customers"));
        // e-mails stay e-mails of the same length, with the top-level domain
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers WHERE email !~ '^[a-z]+[0-9]+@[a-z]{4}\\.[a-z]{7}\\.org$'"))
                .isEqualTo("0");
        assertThat(q("crm_masked", "SELECT string_agg(l || ':' || n, ',' ORDER BY l) FROM (SELECT length(email) l, "
                + "count(*) n FROM crm.customers GROUP BY 1) x"))
                .isEqualTo(q("crm_source", "SELECT string_agg(l || ':' || n, ',' ORDER BY l) FROM (SELECT length(email) l, "
                        + "count(*) n FROM crm.customers GROUP BY 1) x"));
        // a hashed varchar with a backslash and unicode keeps its length and its backslash
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers WHERE handle IS NULL")).isEqualTo("600");
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers WHERE handle !~ '^[A-Za-z]{3}_[0-9]+\\\\[a-z]$'"))
                .isEqualTo("0");
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers WHERE name !~ '^[A-Z][a-z]+ [A-Z][a-z]+$' "
                + "OR phone !~ '^\\+1 555 [0-9]{3} [0-9]{4}$'")).isEqualTo("0");
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers WHERE notes IS NOT NULL")).isEqualTo("0");
        assertThat(q("crm_masked", "SELECT string_agg(DISTINCT country, ',') FROM crm.customers")).isEqualTo("XX");
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers WHERE balance % 100 <> 0")).isEqualTo("0");
        assertThat(q("crm_masked", "SELECT count(*) FROM crm.customers WHERE ext_id IS NULL")).isEqualTo("0");
        // keep keeps
        assertThat(q("crm_masked", "SELECT md5(string_agg(signed_up::text, ',' ORDER BY signed_up)) FROM crm.customers"))
                .isEqualTo(q("crm_source", "SELECT md5(string_agg(signed_up::text, ',' ORDER BY signed_up)) FROM crm.customers"));
        for (String iban : q("crm_masked", "SELECT iban FROM crm.customers LIMIT 50").split("\n")) {
            assertThat(iban).matches("DE\\d{20}");
            String rearranged = iban.substring(4) + "1314" + iban.substring(2, 4);
            assertThat(new BigInteger(rearranged).mod(BigInteger.valueOf(97)).intValue()).as(iban).isEqualTo(1);
        }
        // the source is as it was
        assertThat(q("crm_source", "SELECT count(*) FROM crm.customers WHERE email LIKE 'user%@corp.example.org'"))
                .isEqualTo("3000");
    }

    @Test
    void twoMaskedRestoresAreIdenticalAndAnotherKeyGivesOtherValues() throws Exception {
        restore("crm_twice_a", RULES).assertOk();
        restore("crm_twice_b", RULES).assertOk();
        cli.env("DBSNAP_MASK_KEY", "another-key-of-enough-length!!");
        restore("crm_twice_c", RULES).assertOk();
        String digest = "SELECT md5(string_agg(c::text, '|' ORDER BY c.signed_up)) FROM crm.customers c";
        assertThat(q("crm_twice_a", digest)).isEqualTo(q("crm_twice_b", digest));
        assertThat(q("crm_twice_a", digest)).isNotEqualTo(q("crm_twice_c", digest));
        String one = "SELECT email FROM crm.customers WHERE signed_up = DATE '2020-01-01' + 7";
        assertThat(q("crm_twice_a", one)).isEqualTo(q("crm_twice_b", one)).isNotEqualTo(q("crm_twice_c", one));
    }

    @Test
    void strictRulesMissingColumnsFailBeforeAnythingAndNameEveryOne() throws Exception {
        String rules = RULES.replace("    signed_up: keep\n", "").replace("    total: keep\n", "");
        Cli.Result result = restore("crm_strict", rules);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("strict: no rule covers 2 columns", "crm.customers.signed_up",
                "public.orders.total", "nothing was restored");
        assertThat(q("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'crm_strict'")).isEqualTo("0");
        // not strict, the same rules restore, leaving those columns as they are
        restore("crm_lenient", rules.replace("strict: true", "strict: false")).assertOk();
        assertThat(q("crm_lenient", "SELECT sum(total) FROM orders")).isEqualTo(q("crm_source", "SELECT sum(total) FROM orders"));
    }

    @Test
    void rulesThatDoNotFitTheSnapshotFailBeforeAnything() throws Exception {
        Cli.Result misspelt = restore("crm_bad", RULES.replace("    email: hash", "    emial: hash"));
        assertThat(misspelt.exit()).isEqualTo(1);
        // a misspelt column would have stayed unmasked: refused, and the real one is named as uncovered
        assertThat(misspelt.err()).contains("column crm.customers.emial, which the table does not have",
                "crm.customers.email");
        Cli.Result wrongType = restore("crm_bad", RULES.replace("signed_up: keep", "signed_up: hash")
                .replace("country: fixed XX", "country: fake email").replace("balance: sql round(balance, -2)", "balance: null"));
        assertThat(wrongType.err()).contains("crm.customers.signed_up (date): hash", "crm.customers.country (character(2)): "
                + "fake email writes up to", "crm.customers.balance (numeric(12,2)): null on a NOT NULL column");
        Cli.Result unknownTable = restore("crm_bad", RULES + "  crm.customer:\n    id: keep\n");
        assertThat(unknownTable.err()).contains("table crm.customer, which the snapshot does not have",
                "crm.customers, public.orders");
        Cli.Result noKey = new Cli(work).fileStore(work.resolve("store")).run("restore", pg.url("crm_bad"), "--source",
                "local/127.0.0.1-" + pg.port() + "-crm_source", "--latest", "--force", "--mask", "rules.yaml");
        assertThat(noKey.err()).contains("hash and fake need a secret key", "DBSNAP_MASK_KEY", "crm.customers.email");
        Cli.Result badRule = restore("crm_bad", RULES.replace("email: hash", "email: hashed"));
        assertThat(badRule.err()).contains("crm.customers.email: 'hashed' is not a rule");
        Cli.Result typo = restore("crm_bad", RULES.replace("strict: true", "strikt: true"));
        assertThat(typo.err()).contains("unknown key 'strikt'");
        Cli.Result shortKey = restore("crm_bad", RULES, "--mask-key-file", write("short.key", "abc\n"));
        assertThat(shortKey.err()).contains("the masking key has 3 bytes; it needs at least 16");
        for (Cli.Result failed : List.of(misspelt, wrongType, unknownTable, noKey, badRule, typo, shortKey)) {
            assertThat(failed.exit()).as(failed.err()).isEqualTo(1);
        }
        assertThat(q("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'crm_bad'")).isEqualTo("0");
    }

    @Test
    void aCollisionOnAUniqueColumnFailsNamingItAndTheTargetKeepsWhatItHeld() throws Exception {
        pg.createDatabase("crm_kept");
        pg.psql("crm_kept", "CREATE TABLE precious (v text); INSERT INTO precious VALUES ('still here');");
        Cli.Result fixed = restore("crm_kept", RULES.replace("email: hash", "email: fixed same@example.com"));
        assertThat(fixed.err()).contains("crm.customers.email (text): fixed gives every row the same value, and the "
                + "column is a unique key");
        Cli.Result primaryKey = restore("crm_kept", RULES.replace("    id: keep", "    id: fixed 1"));
        assertThat(primaryKey.err()).contains("public.orders.id (integer): fixed gives every row the same value");

        // 26 letters hashed into 26 letters collide: only the unique index finds it, and the message names it
        pg.createDatabase("codes_source");
        pg.psql("codes_source", "CREATE TABLE codes (code varchar(1) NOT NULL, CONSTRAINT codes_code_key UNIQUE (code)); "
                + "INSERT INTO codes SELECT chr(96 + i) FROM generate_series(1, 26) i;");
        cli.run("create", pg.url("codes_source")).assertOk();
        Files.writeString(work.resolve("codes.yaml"), "tables:\n  codes:\n    code: hash\n");
        Cli.Result result = cli.run("restore", pg.url("crm_kept"), "--source", "local/127.0.0.1-" + pg.port()
                + "-codes_source", "--latest", "--force", "--no-backup", "--mask", "codes.yaml");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("masking made two rows of public.codes share a value of its unique column code",
                "rolled back");
        assertThat(q("crm_kept", "SELECT v FROM precious")).isEqualTo("still here");
        assertThat(q("crm_kept", "SELECT count(*) FROM pg_tables WHERE schemaname = 'crm' OR tablename = 'codes'"))
                .isEqualTo("0");
    }

    @Test
    void partitionsLoadedThroughTheirRootAreAllMaskedAndASqlRuleRunsOnce() throws Exception {
        // pg_dump loads hash partitions on an enum through the root: one COPY statement, a block per partition
        pg.createDatabase("parts_source");
        pg.psql("parts_source", """
                CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                CREATE TABLE ev (m mood NOT NULL, email text, n int) PARTITION BY HASH (m);
                CREATE TABLE ev_p0 PARTITION OF ev FOR VALUES WITH (MODULUS 2, REMAINDER 0);
                CREATE TABLE ev_p1 PARTITION OF ev FOR VALUES WITH (MODULUS 2, REMAINDER 1);
                INSERT INTO ev SELECT (ARRAY['sad','ok','happy']::mood[])[1 + i % 3], 'person' || i || '@corp.example.org', 1
                FROM generate_series(1, 300) i;
                """);
        cli.run("create", pg.url("parts_source")).assertOk();
        Files.writeString(work.resolve("parts.yaml"), "tables:\n  ev:\n    m: keep\n    email: hash\n    n: sql n + 1\n");
        Cli.Result result = cli.run("restore", pg.url("parts_masked"), "--source", "local/127.0.0.1-" + pg.port()
                + "-parts_source", "--latest", "--force", "--no-backup", "--mask", "parts.yaml");
        assertThat(result.exit()).as(result.all()).isZero();
        assertThat(q("parts_masked", "SELECT count(*) FROM ev")).isEqualTo("300");
        assertThat(q("parts_masked", "SELECT count(*) FROM ev WHERE email LIKE 'person%@corp.example.org'")).isEqualTo("0");
        // applied once, after the last partition's rows, not once per partition
        assertThat(q("parts_masked", "SELECT string_agg(DISTINCT n::text, ',') FROM ev")).isEqualTo("2");
    }

    @Test
    void aSnapshotWithLargeObjectsIsNotMaskedForItCannotBe() throws Exception {
        pg.createDatabase("lo_source");
        pg.psql("lo_source", "CREATE TABLE t (id int PRIMARY KEY, doc oid); INSERT INTO t VALUES (1, lo_from_bytea(0, 'secret'));");
        cli.run("create", pg.url("lo_source")).assertOk();
        Files.writeString(work.resolve("lo.yaml"), "tables:\n  t:\n    id: keep\n");
        Cli.Result result = cli.run("restore", pg.url("lo_masked"), "--source", "local/127.0.0.1-" + pg.port()
                + "-lo_source", "--latest", "--force", "--no-backup", "--mask", "lo.yaml");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("large object", "restore it without --mask");
        assertThat(q("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'lo_masked'")).isEqualTo("0");
    }

    @Test
    void aDryRunChecksTheRulesAndListsWhatEachMasks() throws Exception {
        String out = restore("crm_dry", RULES, "--dry-run").assertOk().out();
        assertThat(out).contains("mask crm.customers.name: fake name", "mask public.orders.customer_id: hash");
        assertThat(restore("crm_dry", RULES.replace("    id: keep\n", ""), "--dry-run").err())
                .contains("public.orders.id");
        assertThat(q("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'crm_dry'")).isEqualTo("0");
    }

    private String write(String name, String content) throws Exception {
        Files.writeString(work.resolve(name), content);
        return name;
    }
}
