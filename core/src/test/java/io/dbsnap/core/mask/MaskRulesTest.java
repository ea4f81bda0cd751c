package io.dbsnap.core.mask;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaskRulesTest {

    @Test
    void everyFormOfRuleParses() {
        MaskRules rules = MaskRules.parse("""
                strict: true
                tables:
                  t:
                    a: keep
                    b: hash
                    c: null
                    d: "null"
                    e: fake iban
                    f: fixed  two words
                    g: {fixed: " padded "}
                    h: sql upper(h) || 'x'
                    i: {fake: Email}
                """, "rules.yaml");
        assertThat(rules.strict()).isTrue();
        assertThat(rules.tables().get("t")).containsExactly(
                java.util.Map.entry("a", new Transform.Keep()), java.util.Map.entry("b", new Transform.Hash()),
                java.util.Map.entry("c", new Transform.SetNull()), java.util.Map.entry("d", new Transform.SetNull()),
                java.util.Map.entry("e", new Transform.Fake(Transform.Fake.Kind.IBAN)),
                java.util.Map.entry("f", new Transform.Fixed("two words")),
                java.util.Map.entry("g", new Transform.Fixed(" padded ")),
                java.util.Map.entry("h", new Transform.Sql("upper(h) || 'x'")),
                java.util.Map.entry("i", new Transform.Fake(Transform.Fake.Kind.EMAIL)));
        assertThat(rules.needsKey()).isTrue();
    }

    @Test
    void mistakesAreRefusedWithWhereTheyAre() {
        assertThatThrownBy(() -> MaskRules.parse("strict: maybe\ntables: {}", "r")).hasMessageContaining("'strict' in r");
        assertThatThrownBy(() -> MaskRules.parse("stict: true\ntables: {}", "r")).hasMessageContaining("unknown key 'stict'");
        assertThatThrownBy(() -> MaskRules.parse("tables:\n  t:\n    c: hsah\n", "r")).hasMessageContaining("t.c: 'hsah'");
        assertThatThrownBy(() -> MaskRules.parse("tables:\n  t:\n    c: fake ssn\n", "r")).hasMessageContaining("fake ssn");
        assertThatThrownBy(() -> MaskRules.parse("tables:\n  t:\n    c: 5\n", "r")).hasMessageContaining("t.c: '5'");
        assertThatThrownBy(() -> MaskRules.parse("tables:\n  t:\n    c: sql\n", "r")).hasMessageContaining("'sql'");
        assertThatThrownBy(() -> MaskRules.parse("tables:\n  t: hash\n", "r")).hasMessageContaining("table t in r");
        assertThatThrownBy(() -> MaskRules.parse("- a\n", "r")).hasMessageContaining("must be a mapping");
        assertThatThrownBy(() -> MaskRules.parse("tables: [\n", "r")).hasMessageContaining("not valid YAML");
        // a key given twice would silently drop the first rule
        assertThatThrownBy(() -> MaskRules.parse("tables:\n  t:\n    email: hash\n    email: keep\n", "r"))
                .hasMessageContaining("Duplicate field 'email'");
        assertThatThrownBy(() -> MaskRules.parse("tables:\n  t:\n    a: hash\n  t:\n    b: keep\n", "r"))
                .hasMessageContaining("Duplicate field 't'");
    }

    @Test
    void bindingNamesEveryProblemAtOnce() {
        DumpTable customers = new DumpTable("public", "customers", List.of(
                new DumpTable.Column("id", "integer", true), new DumpTable.Column("email", "text", true),
                new DumpTable.Column("born", "date", false), new DumpTable.Column("code", "character(2)", false)),
                Set.of("id", "email"));
        DumpTable other = new DumpTable("audit", "customers", List.of(new DumpTable.Column("x", "text", false)));
        MaskRules rules = MaskRules.parse("""
                strict: true
                tables:
                  customers:
                    id: fixed 1
                    emial: hash
                    born: hash
                    code: fake name
                  audit.missing:
                    x: keep
                """, "r");
        assertThatThrownBy(() -> MaskPlan.bind(rules, null, List.of(customers, other), Dialect.POSTGRESQL))
                .isInstanceOf(MaskRulesException.class)
                .hasMessageContaining("strict: no rule covers 2 columns (public.customers.email, audit.customers.x)")
                .hasMessageContaining("table audit.missing, which the snapshot does not have")
                .hasMessageContaining("column public.customers.emial, which the table does not have")
                .hasMessageContaining("public.customers.id (integer): fixed gives every row the same value")
                .hasMessageContaining("public.customers.born (date): hash")
                .hasMessageContaining("public.customers.code (character(2)): fake name writes up to")
                .hasMessageContaining("hash and fake need a secret key (public.customers.born");
    }

    @Test
    void rulesThatCannotHoldAreRefusedBeforeAnything() {
        DumpTable users = new DumpTable("public", "users", List.of(new DumpTable.Column("id", "integer", true),
                new DumpTable.Column("name", "text", false), new DumpTable.Column("code", "varchar(3)", false),
                new DumpTable.Column("n", "integer", false)), Set.of("id", "name"));
        DumpTable child = new DumpTable("public", "admins", List.of(new DumpTable.Column("name", "text", false)),
                Set.of(), "public.users");
        MaskRules rules = MaskRules.parse("""
                tables:
                  users:
                    name: fake name
                    code: fixed ABCD
                    n: fixed many
                """, "r");
        assertThatThrownBy(() -> MaskPlan.bind(rules, MaskKey.of("a key of sixteen bytes or more"), List.of(users, child),
                Dialect.POSTGRESQL))
                .hasMessageContaining("public.users.name (text): fake name has too few values for a unique key")
                .hasMessageContaining("public.users.code (varchar(3)): the fixed value is longer than the column's 3")
                .hasMessageContaining("public.users.n (integer): the fixed value is not an integer")
                .hasMessageContaining("public.admins inherits from public.users, whose rules do not reach its rows");
        DumpTable mixed = new DumpTable(null, "t", List.of(new DumpTable.Column("Email", "varchar(9)", false)));
        assertThatThrownBy(() -> MaskPlan.bind(MaskRules.parse("tables:\n  t:\n    email: keep\n    EMAIL: hash\n", "r"),
                MaskKey.of("a key of sixteen bytes or more"), List.of(mixed), Dialect.MYSQL))
                .hasMessageContaining("t.Email has two rules");
    }

    @Test
    void mysqlNamesCompareWithoutCaseAndABareNameMustBeUnambiguous() {
        DumpTable a = new DumpTable("shop", "Orders", List.of(new DumpTable.Column("Email", "varchar(255)", false)));
        DumpTable b = new DumpTable("crm", "orders", List.of(new DumpTable.Column("email", "varchar(255)", false)));
        MaskRules bare = MaskRules.parse("tables:\n  orders:\n    email: keep\n", "r");
        assertThatThrownBy(() -> MaskPlan.bind(bare, null, List.of(a, b), Dialect.MYSQL))
                .hasMessageContaining("write DATABASE.TABLE");
        MaskPlan plan = MaskPlan.bind(MaskRules.parse("tables:\n  SHOP.orders:\n    EMAIL: null\n", "r"), null,
                List.of(a, b), Dialect.MYSQL);
        assertThat(plan.describe()).containsExactly("mask shop.Orders.Email: null");
    }
}
