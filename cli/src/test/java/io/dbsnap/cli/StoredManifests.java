package io.dbsnap.cli;

import io.dbsnap.core.testing.S3Server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every manifest a test's stores hold, as text: a local store's folder and one S3 bucket. */
final class StoredManifests {

    private StoredManifests() {
    }

    static List<String> read(Path localStore, S3Server s3, String bucket) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(localStore)) {
            for (Path manifest : files.filter(p -> p.endsWith("manifest.json")).toList()) {
                found.add(Files.readString(manifest));
            }
        }
        for (String key : s3.keys(bucket)) {
            if (key.endsWith("manifest.json")) {
                found.add(new String(s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(),
                        StandardCharsets.UTF_8));
            }
        }
        return found;
    }
}
