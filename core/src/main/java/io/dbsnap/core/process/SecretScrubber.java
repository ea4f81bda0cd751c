package io.dbsnap.core.process;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Replaces every occurrence of a secret in text a command printed, so it cannot reach logs or status. */
public final class SecretScrubber {

    public static final String MASK = "****";
    private final List<String> secrets;

    public SecretScrubber(Collection<String> secrets) {
        // longest first, so a secret that contains another is masked whole
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String scrub(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }
}
