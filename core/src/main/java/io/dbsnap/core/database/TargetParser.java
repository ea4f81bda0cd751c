package io.dbsnap.core.database;

import io.dbsnap.core.DbsnapException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses TARGET URLs. The password is cut out by hand before anything else looks at the URL, so
 * that no error message, however malformed the rest, can carry it: everything between the first
 * {@code :} of the user info and the last {@code @} is the password, and so is a {@code password=}
 * query parameter.
 */
public final class TargetParser {

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://");
    private static final Pattern QUERY_PASSWORD = Pattern.compile("([?&](?:ssl)?password=)([^&#]*)", Pattern.CASE_INSENSITIVE);

    private TargetParser() {
    }

    /** The parts of a URL before any parsing: scheme, raw user info split at its first colon, the rest. */
    private record Split(String scheme, String user, String password, String rest) {

        static Split of(String url) {
            Matcher scheme = SCHEME.matcher(url);
            if (!scheme.find()) {
                return null;
            }
            String afterScheme = url.substring(scheme.end());
            int at = afterScheme.lastIndexOf('@');
            if (at < 0) {
                return new Split(scheme.group(1), null, null, afterScheme);
            }
            String userInfo = afterScheme.substring(0, at);
            int colon = userInfo.indexOf(':');
            return new Split(scheme.group(1), colon < 0 ? userInfo : userInfo.substring(0, colon),
                    colon < 0 ? null : userInfo.substring(colon + 1), afterScheme.substring(at + 1));
        }

        String redacted() {
            String userInfo = user == null ? "" : user + (password == null ? "" : ":****") + "@";
            return scheme + "://" + userInfo + QUERY_PASSWORD.matcher(rest).replaceAll("$1****");
        }
    }

    /** The URL as it may be printed: {@code postgresql://app:****@db:5432/orders}. */
    public static String redact(String url) {
        Split split = Split.of(url);
        return split == null ? "(not a URL)" : split.redacted();
    }

    /** Every form in which a URL's password could be printed: raw, decoded, and from the query. */
    public static Set<String> secretsIn(String url) {
        Set<String> secrets = new LinkedHashSet<>();
        Split split = Split.of(url);
        if (split == null) {
            return secrets;
        }
        if (split.password() != null && !split.password().isEmpty()) {
            secrets.add(split.password());
            secrets.add(decodeLeniently(split.password()));
        }
        Matcher query = QUERY_PASSWORD.matcher(split.rest());
        while (query.find()) {
            if (!query.group(2).isEmpty()) {
                secrets.add(query.group(2));
                secrets.add(decodeLeniently(query.group(2)));
            }
        }
        return secrets;
    }

    public static DatabaseTarget parse(String url) {
        Split split = Split.of(url);
        if (split == null) {
            // not a URL: it is not echoed, since it may be a password pasted in the wrong place
            throw new DbsnapException("malformed TARGET: expected a URL such as "
                    + "postgresql://user:password@host:5432/database");
        }
        String redacted = split.redacted();
        URI uri;
        try {
            uri = new URI(split.scheme() + "://" + split.rest());
        } catch (URISyntaxException e) {
            throw new DbsnapException("malformed TARGET '" + redacted + "': " + e.getReason()
                    + " (percent-encode special characters, e.g. @ as %40 and / as %2F)");
        }
        String host = uri.getHost();
        if (host == null && uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw new DbsnapException("malformed TARGET '" + redacted + "': cannot read host and port");
        }
        if (host != null && host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        Map<String, String> params = query(uri.getRawQuery());
        String password = split.password() == null ? null : decodeLeniently(split.password());
        String queryPassword = null;
        for (String name : List.copyOf(params.keySet())) {
            if (name.equalsIgnoreCase("password")) {
                queryPassword = params.remove(name);
            }
        }
        if (password == null) {
            password = queryPassword;
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        String user = split.user() == null ? null : decodeLeniently(split.user());
        return new DatabaseTarget(split.scheme().toLowerCase(Locale.ROOT), emptyToNull(user), password,
                emptyToNull(host), uri.getPort() < 0 ? null : uri.getPort(), emptyToNull(database), params, redacted);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(decodeLeniently(kv[0]), kv.length > 1 ? decodeLeniently(kv[1]) : "");
        }
        return params;
    }

    /** Percent-decodes; a stray {@code %} that starts no escape is taken literally. */
    private static String decodeLeniently(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
