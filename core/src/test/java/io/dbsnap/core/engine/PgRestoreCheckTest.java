package io.dbsnap.core.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PgRestoreCheckTest {

    private static final String TOC = """
            ;
            ; Archive created at 2026-12-01 20:00:00 UTC
            ;     dbname: shop
            ;
            ; Selected TOC Entries:
            ;
            5; 2615 16385 SCHEMA - my schema postgres
            215; 1259 16386 TABLE public orders postgres
            216; 1259 16390 SEQUENCE public orders_id_seq postgres
            217; 1259 16391 SEQUENCE OWNED BY public orders_id_seq postgres
            218; 1259 16400 TABLE my schema a table app
            219; 1259 16410 VIEW public big_orders postgres
            220; 1259 16420 MATERIALIZED VIEW public totals postgres
            221; 1259 16430 TABLE public measurements postgres
            3390; 0 16386 TABLE DATA public orders postgres
            3391; 0 0 SEQUENCE SET public orders_id_seq postgres
            3392; 0 16420 MATERIALIZED VIEW DATA public totals postgres
            """;

    @Test
    void theArchivesRelationsAreItsTablesSequencesAndViews() {
        List<PgArchiveToc.Entry> toc = List.of(new PgArchiveToc.Entry(5, "SCHEMA", null, "my schema", "postgres"),
                new PgArchiveToc.Entry(215, "TABLE", "public", "orders", "postgres"),
                new PgArchiveToc.Entry(216, "SEQUENCE", "public", "orders_id_seq", "postgres"),
                new PgArchiveToc.Entry(217, "SEQUENCE OWNED BY", "public", "orders_id_seq", "postgres"),
                new PgArchiveToc.Entry(218, "TABLE", "my schema", "a table", "app"),
                new PgArchiveToc.Entry(219, "VIEW", "public", "big_orders", "postgres"),
                new PgArchiveToc.Entry(220, "MATERIALIZED VIEW", "public", "totals", "postgres"),
                new PgArchiveToc.Entry(221, "TABLE", "public", "measurements", "postgres"),
                new PgArchiveToc.Entry(3390, "TABLE DATA", "public", "orders", "postgres"),
                new PgArchiveToc.Entry(3391, "SEQUENCE SET", "public", "orders_id_seq", "postgres"),
                new PgArchiveToc.Entry(3392, "MATERIALIZED VIEW DATA", "public", "totals", "postgres"));
        assertThat(PgRestoreCheck.listed(toc)).isEqualTo(PgListing.listed(TOC)).containsExactly(
                new PgRestoreCheck.Listed('r', "public orders postgres"),
                new PgRestoreCheck.Listed('S', "public orders_id_seq postgres"),
                new PgRestoreCheck.Listed('r', "my schema a table app"),
                new PgRestoreCheck.Listed('v', "public big_orders postgres"),
                new PgRestoreCheck.Listed('m', "public totals postgres"),
                new PgRestoreCheck.Listed('r', "public measurements postgres"));
    }

    @Test
    void whatTheTargetLacksIsNamedWhateverItsOwnerIsNow() {
        List<PgRestoreCheck.Listed> listed = PgListing.listed(TOC);
        String all = String.join("\n", "r|public orders", "S|public orders_id_seq", "r|my schema a table",
                "v|public big_orders", "m|public totals", "p|public measurements", "r|public extra");
        assertThat(PgRestoreCheck.missing(listed, all)).isEmpty();
        assertThat(PgRestoreCheck.missing(listed, "")).hasSize(6);
        // a view where a table should be, a table under another schema, a name that is only a prefix
        assertThat(PgRestoreCheck.missing(listed, all.replace("r|public orders\n", "v|public orders\n")))
                .containsExactly("public orders postgres");
        assertThat(PgRestoreCheck.missing(listed, all.replace("r|my schema a table", "r|my a table")))
                .containsExactly("my schema a table app");
        assertThat(PgRestoreCheck.missing(listed, all.replace("r|public orders\n", "r|public order\n")))
                .containsExactly("public orders postgres");
    }

    @Test
    void aMissingTableIsNeverCoveredByOneWhoseNameBeginsItsOwn() {
        List<PgRestoreCheck.Listed> listed = PgListing.listed("""
                215; 1259 16386 TABLE public orders postgres
                216; 1259 16387 TABLE public orders old postgres
                217; 1259 16388 TABLE public orders old 2 app owner
                """);
        String all = "r|public orders\nr|public orders old\nr|public orders old 2";
        assertThat(PgRestoreCheck.missing(listed, all)).isEmpty();
        assertThat(PgRestoreCheck.missing(listed, "r|public orders")).containsExactly(
                "public orders old postgres", "public orders old 2 app owner");
        assertThat(PgRestoreCheck.missing(listed, "r|public orders\nr|public orders old"))
                .containsExactly("public orders old 2 app owner");
        // whichever order they are listed in, each present table stands for one listed table
        List<PgRestoreCheck.Listed> reversed = new java.util.ArrayList<>(listed);
        java.util.Collections.reverse(reversed);
        assertThat(PgRestoreCheck.missing(reversed, "r|public orders old 2\nr|public orders old"))
                .containsExactly("public orders postgres");
    }
}
