package io.dbsnap.core.mask;

/**
 * Realistic stand-ins, drawn from a keyed hash of the input. Addresses and phone numbers are of
 * fictional ranges (555 numbers, example.com), so nothing masked can reach a real person.
 */
final class Fakes {

    private static final String[] FIRST = {"Ada", "Alan", "Alice", "Amara", "Ana", "Aron", "Bea", "Ben", "Carla",
            "Chen", "Clara", "Dan", "Dora", "Eli", "Emil", "Eva", "Farah", "Felix", "Greta", "Hana", "Hugo", "Ida",
            "Ines", "Ivan", "Jana", "Jonas", "Kai", "Kim", "Lara", "Leo", "Lina", "Luca", "Maja", "Mara", "Milo",
            "Nia", "Noah", "Nora", "Omar", "Paul", "Rosa", "Ruth", "Sami", "Sara", "Theo", "Tom", "Uma", "Vera",
            "Yara", "Zoe"};
    private static final String[] LAST = {"Abbott", "Berg", "Bauer", "Costa", "Dahl", "Diaz", "Eriksen", "Falk",
            "Fischer", "Garcia", "Hahn", "Horn", "Ito", "Jensen", "Kaya", "Keller", "Klein", "Lang", "Lopez",
            "Maier", "Meyer", "Moreau", "Nagy", "Novak", "Okafor", "Olsen", "Park", "Petrov", "Quinn", "Rossi",
            "Roth", "Sato", "Schmid", "Silva", "Stein", "Tanaka", "Torres", "Urban", "Vogel", "Wagner", "Walsh",
            "Weber", "Wolf", "Yilmaz", "Young", "Zeller", "Ziegler", "Kowalski", "Lindqvist", "Mendes"};
    private static final String[] STREET = {"Maple", "Oak", "Cedar", "Elm", "Birch", "Willow", "Harbor", "Mill",
            "Church", "Station", "Park", "River", "Garden", "Market", "Castle", "Meadow", "Lake", "Hill", "Bridge",
            "Forest"};
    private static final String[] STREET_KIND = {"Street", "Avenue", "Road", "Lane", "Way"};
    private static final String[] CITY = {"Springfield", "Riverton", "Fairview", "Lakeside", "Brookfield",
            "Ashford", "Milltown", "Kingsport", "Westhaven", "Northbridge", "Greenville", "Oakdale"};

    private Fakes() {
    }

    static String of(Transform.Fake.Kind kind, ValueMasker.Random random) {
        return switch (kind) {
            case NAME -> pick(FIRST, random) + " " + pick(LAST, random);
            case EMAIL -> (pick(FIRST, random) + "." + pick(LAST, random)).toLowerCase(java.util.Locale.ROOT) + "."
                    + digits(random, 6) + "@example.com";
            case PHONE -> "+1 555 " + digits(random, 3) + " " + digits(random, 4);
            case ADDRESS -> (1 + random.next(999)) + " " + pick(STREET, random) + " " + pick(STREET_KIND, random)
                    + ", " + pick(CITY, random);
            case IBAN -> iban(random);
        };
    }

    /** A German-shaped IBAN (DE, 18 digits) with valid check digits (ISO 13616, mod 97), so validators accept it. */
    static String iban(ValueMasker.Random random) {
        String bban = digits(random, 18);
        // the country code's letters as numbers (D=13, E=14) and 00 appended, then 98 minus the remainder
        java.math.BigInteger number = new java.math.BigInteger(bban + "131400");
        int check = 98 - number.mod(java.math.BigInteger.valueOf(97)).intValue();
        return "DE" + (check < 10 ? "0" : "") + check + bban;
    }

    /** The longest value a kind gives, for a column whose declared length could not hold it. */
    static int maxLength(Transform.Fake.Kind kind) {
        return switch (kind) {
            case NAME -> longest(FIRST) + 1 + longest(LAST);
            case EMAIL -> longest(FIRST) + 1 + longest(LAST) + 1 + 6 + "@example.com".length();
            case PHONE -> "+1 555 000 0000".length();
            case ADDRESS -> 3 + 1 + longest(STREET) + 1 + longest(STREET_KIND) + 2 + longest(CITY);
            case IBAN -> 22;
        };
    }

    private static int longest(String[] values) {
        return java.util.Arrays.stream(values).mapToInt(String::length).max().orElse(0);
    }

    private static String pick(String[] values, ValueMasker.Random random) {
        return values[random.next(values.length)];
    }

    private static String digits(ValueMasker.Random random, int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append((char) ('0' + random.next(10)));
        }
        return out.toString();
    }
}
