package io.dbsnap.core.mask;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ValueMaskerTest {

    static final MaskKey KEY = MaskKey.of("a key of sixteen bytes or more");
    final ValueMasker masker = new ValueMasker(KEY);

    @Test
    void hashKeepsTheShapeOfTheInput() {
        assertThat(masker.hash("Anna-Lena Müller, 42b")).matches("[A-Z][a-z]{3}-[A-Z][a-z]{3} [A-Z][a-z]{5}, [1-9][0-9][a-z]");
        assertThat(masker.hash("")).isEmpty();
        assertThat(masker.hash("  ")).isEqualTo("  ");
        assertThat(masker.hash("12.50")).matches("[1-9][0-9]\\.[0-9]{2}");
        assertThat(masker.hash("0042")).matches("[0-9]{4}");
        String email = masker.hash("first.last+tag@mail.example.co.uk");
        assertThat(email).matches("[a-z]{5}\\.[a-z]{4}\\+[a-z]{3}@[a-z]{4}\\.[a-z]{7}\\.[a-z]{2}\\.uk").hasSize(33);
        String uuid = masker.hash("550e8400-e29b-41d4-a716-446655440000");
        assertThat(uuid).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}")
                .isNotEqualTo("550e8400-e29b-41d4-a716-446655440000");
        assertThat(masker.hash("🚀 Zürich")).matches("🚀 [A-Z][a-z]{5}");
    }

    @Test
    void theSameInputAndKeyGiveTheSameOutputAndAnotherKeyAnother() {
        ValueMasker again = new ValueMasker(MaskKey.of("a key of sixteen bytes or more\n"));
        ValueMasker other = new ValueMasker(MaskKey.of("another key, also long enough"));
        for (String value : new String[]{"alice@example.org", "12345", "Bob", "x"}) {
            assertThat(again.hash(value)).isEqualTo(masker.hash(value));
            assertThat(masker.apply(new Transform.Fake(Transform.Fake.Kind.NAME), value))
                    .isEqualTo(again.apply(new Transform.Fake(Transform.Fake.Kind.NAME), value));
        }
        assertThat(other.hash("alice@example.org")).isNotEqualTo(masker.hash("alice@example.org"));
        // the kind takes part: a fake name and a fake email of one value are not drawn alike
        assertThat(masker.apply(new Transform.Fake(Transform.Fake.Kind.EMAIL), "alice"))
                .matches("[a-z]+\\.[a-z]+\\.[0-9]{6}@example\\.com");
    }

    @Test
    void integersArePermutedWithinTheirLengthSoDistinctStaysDistinct() {
        for (int digits = 1; digits <= 4; digits++) {
            int low = digits == 1 ? 0 : (int) Math.pow(10, digits - 1);
            int high = (int) Math.pow(10, digits);
            Set<String> seen = new HashSet<>();
            int unchanged = 0;
            for (int i = low; i < high; i++) {
                String out = masker.hash(String.valueOf(i));
                assertThat(out).hasSize(digits);
                assertThat(digits == 1 || !out.startsWith("0")).as(out).isTrue();
                assertThat(seen.add(out)).as("%d -> %s twice", i, out).isTrue();
                unchanged += out.equals(String.valueOf(i)) ? 1 : 0;
            }
            assertThat(unchanged).isLessThanOrEqualTo(Math.max(3, (high - low) / 20));
        }
        assertThat(masker.hash("-17")).matches("-[1-9][0-9]");
        assertThat(masker.hash("999999999999999999")).hasSize(18);
        Set<String> zeroToNine = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            zeroToNine.add(masker.hash(String.valueOf(i)));
        }
        assertThat(zeroToNine).hasSize(10);
        // a 19-digit bigint stays a bigint, and distinct
        Set<String> big = new HashSet<>();
        for (long i = 0; i < 2000; i++) {
            String out = masker.hash(Long.toString(Long.MAX_VALUE - i));
            assertThat(out).hasSize(19);
            assertThat(Long.parseLong(out)).isPositive();
            big.add(out);
        }
        assertThat(big).hasSize(2000);
    }

    @Test
    void integersStayWithinTheirColumnsType() {
        Set<String> seen = new HashSet<>();
        for (long i = Integer.MAX_VALUE - 5000L; i <= Integer.MAX_VALUE; i++) {
            String out = masker.hash(Long.toString(i), Integer.MAX_VALUE);
            assertThat(Long.parseLong(out)).isBetween(1_000_000_000L, (long) Integer.MAX_VALUE);
            seen.add(out);
        }
        assertThat(seen).hasSize(5001);
        for (int i = 10000; i <= 32767; i += 7) {
            assertThat(Integer.parseInt(masker.hash(Integer.toString(i), Short.MAX_VALUE))).isBetween(10000, 32767);
        }
        // the type's minimum, one past the largest magnitude, is the only integer left as it is
        assertThat(masker.hash("-2147483648", Integer.MAX_VALUE)).isEqualTo("-2147483648");
    }

    @Test
    void everyScriptsDigitsAreHashedAndCaseDoesNotChangeTheDraw() {
        assertThat(masker.hash("٠١٢٣٤٥٦٧٨٩")).matches("[0-9]{10}");
        assertThat(masker.hash("０９０-１２３４")).matches("[0-9]{3}-[0-9]{4}");
        String lower = masker.hash("alice@real.com");
        String upper = masker.hash("ALICE@REAL.COM");
        assertThat(upper).isEqualTo(lower.toUpperCase(java.util.Locale.ROOT)).isNotEqualTo("ALICE@REAL.COM");
        assertThat(masker.hash("550E8400-E29B-41D4-A716-446655440000"))
                .isEqualTo(masker.hash("550e8400-e29b-41d4-a716-446655440000").toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void fakesAreOfTheirKindAndValid() {
        for (int i = 0; i < 200; i++) {
            String iban = masker.apply(new Transform.Fake(Transform.Fake.Kind.IBAN), "DE" + i);
            assertThat(iban).matches("DE\\d{20}");
            assertThat(new BigInteger(iban.substring(4) + "1314" + iban.substring(2, 4)).mod(BigInteger.valueOf(97)))
                    .isEqualTo(BigInteger.ONE);
            assertThat(masker.apply(new Transform.Fake(Transform.Fake.Kind.PHONE), "p" + i)).matches("\\+1 555 \\d{3} \\d{4}");
            assertThat(masker.apply(new Transform.Fake(Transform.Fake.Kind.ADDRESS), "a" + i))
                    .matches("\\d{1,3} [A-Z][a-z]+ (Street|Avenue|Road|Lane|Way), [A-Z][a-z]+");
            for (Transform.Fake.Kind kind : Transform.Fake.Kind.values()) {
                assertThat(masker.apply(new Transform.Fake(kind), "v" + i).length()).isLessThanOrEqualTo(Fakes.maxLength(kind));
            }
        }
    }

    @Test
    void aShortKeyIsRefusedAndNoneIsBuiltIn() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MaskKey.of("short"))
                .hasMessageContaining("needs at least 16");
        assertThat(MaskKey.find(null, java.util.Map.of())).isNull();
        assertThat(KEY.toString()).doesNotContain("sixteen");
    }
}
