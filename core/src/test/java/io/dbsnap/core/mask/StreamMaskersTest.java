package io.dbsnap.core.mask;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stream maskers on the formats pg_restore and mysqldump write: escapes, NULLs, quoting, statements over lines. */
class StreamMaskersTest {

    static final MaskKey KEY = MaskKey.of("a key of sixteen bytes or more");

    @Test
    void copyRowsAreMaskedFieldByFieldWithTheirEscapes() throws Exception {
        DumpTable users = new DumpTable("public", "users", List.of(new DumpTable.Column("id", "integer", true),
                new DumpTable.Column("note", "text", false), new DumpTable.Column("tag", "text", false)));
        MaskPlan plan = MaskPlan.bind(MaskRules.parse("tables:\n  users:\n    note: fixed a\\tb\n    tag: hash\n", "r"),
                KEY, List.of(users), Dialect.POSTGRESQL);
        String script = """
                SET x = 1;
                COPY public.users (id, note, tag) FROM stdin;
                1\tline\\nbreak\tAb\\\\c
                2\t\\N\t\\N
                \\.
                COPY public.other (v) FROM stdin;
                keep\\tme
                \\.
                """;
        PgCopyMasker masker = new PgCopyMasker(plan, Map.of("COPY public.users (id, note, tag) FROM stdin;", users,
                "COPY public.other (v) FROM stdin;", new DumpTable("public", "other", List.of(
                        new DumpTable.Column("v", "text", false)))));
        String out = run(out1 -> masker.mask(in(script), out1));
        List<String> lines = out.lines().toList();
        assertThat(lines.get(2)).matches("1\ta\\\\\\\\tb\t[A-Z][a-z]\\\\\\\\[a-z]");
        // NULL stays NULL under fixed and hash
        assertThat(lines.get(3)).isEqualTo("2\t\\N\t\\N");
        assertThat(lines.subList(4, 8)).containsExactly("\\.", "COPY public.other (v) FROM stdin;", "keep\\tme", "\\.");
        assertThat(masker.maskedValues()).isEqualTo(4);

        assertThatThrownBy(() -> run(o -> fresh(plan, users).mask(in("COPY public.users (id, note, tag) FROM stdin;\n1\tx\n"), o)))
                .hasMessageContaining("a row of public.users does not have its 3 columns");
        assertThatThrownBy(() -> run(o -> fresh(plan, users).mask(in("COPY public.ghost (v) FROM stdin;\nx\n\\.\n"), o)))
                .hasMessageContaining("did not list");
    }

    @Test
    void insertsAreMaskedValueByValueOnOneLineOrManyAndByTheirColumnList() throws Exception {
        String dump = """
                -- Table structure for table `t`
                CREATE TABLE `t` (
                  `id` int(11) NOT NULL,
                  `s` varchar(20) DEFAULT NULL,
                  `b` blob,
                  `g` varchar(20) GENERATED ALWAYS AS (upper(`s`)) VIRTUAL,
                  PRIMARY KEY (`id`)
                ) ENGINE=InnoDB;
                INSERT INTO `t` VALUES (1,'it\\'s \\\\ a,b)',0xFF00,'IT'),(2,NULL,NULL,NULL);
                INSERT INTO `t` VALUES
                (3,'x''y',0x01,'X'),
                (4,'',0x,'');
                INSERT INTO `t` (`s`, `id`) VALUES ('abc',5);
                -- Dump completed
                """;
        List<DumpTable> tables = MySqlDumpMasker.tables(in(dump));
        assertThat(tables).hasSize(1);
        assertThat(tables.get(0).uniqueColumns()).containsExactly("id");
        assertThat(tables.get(0).columns()).extracting(DumpTable.Column::generated).containsExactly(false, false, false, true);
        MaskPlan plan = MaskPlan.bind(MaskRules.parse("tables:\n  t:\n    s: fixed Q'\\\n", "r"), KEY, tables, Dialect.MYSQL);
        MySqlDumpMasker masker = new MySqlDumpMasker(plan);
        List<String> out = run(o -> masker.mask(in(dump), o)).lines().toList();
        // the generated column's value (derived from masked ones) goes as DEFAULT, which the server computes
        assertThat(out.get(8)).isEqualTo("INSERT INTO `t` VALUES (1,'Q\\'\\\\',0xFF00,DEFAULT),(2,NULL,NULL,DEFAULT);");
        assertThat(out.subList(9, 12)).containsExactly("INSERT INTO `t` VALUES", "(3,'Q\\'\\\\',0x01,DEFAULT),",
                "(4,'Q\\'\\\\',0x,DEFAULT);");
        assertThat(out.get(12)).isEqualTo("INSERT INTO `t` (`s`, `id`) VALUES ('Q\\'\\\\',5);");
        assertThat(out.get(13)).isEqualTo("-- Dump completed");

        assertThatThrownBy(() -> run(o -> new MySqlDumpMasker(plan).mask(in(dump.replace("(4,'',0x,'');",
                "(4,'',0x,'')")), o))).hasMessageContaining("followed by neither , nor ;");
        assertThatThrownBy(() -> run(o -> new MySqlDumpMasker(plan).mask(in(dump.substring(0, dump.indexOf("(4,"))), o)))
                .hasMessageContaining("ends inside an INSERT");
        assertThatThrownBy(() -> run(o -> new MySqlDumpMasker(plan).mask(in(dump.replace("(2,NULL,NULL,NULL)",
                "(2,NULL,NULL)")), o))).hasMessageContaining("fewer values");
        assertThatThrownBy(() -> run(o -> new MySqlDumpMasker(plan).mask(in(dump.replace("a,b)'", "a,b)")), o)))
                .hasMessageContaining("cannot mask an INSERT of t");
    }

    @Test
    void insertIgnoreReplaceAndGeneratedValuesAreMaskedAndBodiesAndUnknownFormsAreNotPassedBlindly() throws Exception {
        String dump = """
                -- Table structure for table `t`
                CREATE TABLE `t` (
                  `id` int(11) NOT NULL,
                  `s` varchar(20) DEFAULT NULL,
                  `g` varchar(20) GENERATED ALWAYS AS (upper(`s`)) VIRTUAL,
                  PRIMARY KEY (`id`)
                ) ENGINE=InnoDB;
                INSERT IGNORE INTO `t` VALUES (1,'secret','SECRET');
                REPLACE INTO `t` VALUES (2,'secret','SECRET');
                insert  into `t` VALUES (3,'secret','SECRET');
                DELIMITER ;;
                /*!50003 CREATE*/ /*!50003 TRIGGER `x` AFTER INSERT ON `t` FOR EACH ROW BEGIN
                INSERT INTO `t` (`s`) VALUES (NEW.s);
                END */;;
                DELIMITER ;
                -- Dump completed
                """;
        List<DumpTable> tables = MySqlDumpMasker.tables(in(dump));
        MaskPlan plan = MaskPlan.bind(MaskRules.parse("tables:\n  t:\n    s: fixed masked\n", "r"), KEY, tables,
                Dialect.MYSQL);
        String out = run(o -> new MySqlDumpMasker(plan).mask(in(dump), o));
        assertThat(out).doesNotContain("'secret'").doesNotContain("'SECRET'")
                .contains("INSERT IGNORE INTO `t` VALUES (1,'masked',DEFAULT);", "REPLACE INTO `t` VALUES (2,'masked',DEFAULT);",
                        "insert  into `t` VALUES (3,'masked',DEFAULT);")
                // a trigger's body is not data
                .contains("INSERT INTO `t` (`s`) VALUES (NEW.s);");
        assertThatThrownBy(() -> run(o -> new MySqlDumpMasker(plan).mask(in(dump.replace("REPLACE INTO `t`",
                "REPLACE DELAYED INTO t")), o))).hasMessageContaining("cannot tell which table");

        // a sql rule's trigger is dropped after the table's rows even without UNLOCK TABLES
        MaskPlan withSql = MaskPlan.bind(MaskRules.parse("tables:\n  t:\n    s: sql upper(s)\n", "r"), KEY, tables,
                Dialect.MYSQL);
        String triggered = run(o -> new MySqlDumpMasker(withSql).mask(in(dump), o));
        assertThat(triggered.indexOf("CREATE TRIGGER `dbsnap_mask_1`")).isLessThan(triggered.indexOf("INSERT IGNORE"));
        assertThat(triggered.indexOf("DROP TRIGGER `dbsnap_mask_1`;")).isGreaterThan(triggered.indexOf("insert  into"))
                .isLessThan(triggered.indexOf("DELIMITER ;;"));
        assertThat(triggered).contains("SELECT NEW.`id` AS `id`, NEW.`s` AS `s`)").doesNotContain("NEW.`g`");
    }

    @Test
    void everyRowBlockOfTheTableOfContentsMustPassAndSqlRunsOnceAfterTheLast() throws Exception {
        DumpTable ev = new DumpTable("public", "ev", List.of(new DumpTable.Column("m", "", false),
                new DumpTable.Column("email", "text", false)));
        String copy = "COPY public.ev (m, email) FROM stdin;";
        MaskPlan plan = MaskPlan.bind(MaskRules.parse("tables:\n  ev:\n    email: hash\n    m: sql m\n", "r"),
                KEY, List.of(ev), Dialect.POSTGRESQL);
        String twoPartitions = copy + "\na\tfirst.person@mail.example.org\n\\.\n" + copy
                + "\nb\tsecond.person@mail.example.org\n\\.\n";
        String out = run(o -> new PgCopyMasker(plan, Map.of(copy, ev), Map.of(copy, 2)).mask(in(twoPartitions), o));
        assertThat(out).doesNotContain("person@mail").contains("@").hasLineCount(9);
        assertThat(out.split("UPDATE ONLY", -1)).hasSize(2);
        assertThat(out.indexOf("UPDATE ONLY")).isGreaterThan(out.lastIndexOf("\\."));
        assertThatThrownBy(() -> run(o -> new PgCopyMasker(plan, Map.of(copy, ev), Map.of(copy, 3)).mask(in(twoPartitions), o)))
                .hasMessageContaining("wrote 2 of the 3 row blocks of public.ev");
        assertThatThrownBy(() -> run(o -> new PgCopyMasker(plan, Map.of(copy, ev), Map.of(copy, 1)).mask(in(twoPartitions), o)))
                .hasMessageContaining("more row blocks for public.ev");
    }

    private static PgCopyMasker fresh(MaskPlan plan, DumpTable users) {
        return new PgCopyMasker(plan, Map.of("COPY public.users (id, note, tag) FROM stdin;", users));
    }

    interface Body {
        void run(java.io.OutputStream out) throws Exception;
    }

    private static String run(Body body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.run(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
