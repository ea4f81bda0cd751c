package io.dbsnap.cli;

import io.dbsnap.api.storage.Sizes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestCodec;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the snapshots in the store, oldest first.")
final class ListCommand extends StoreCommand {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--source", paramLabel = "SOURCE", description = "only snapshots of this source (NAME or NAMESPACE/NAME)")
    String source;

    @Option(names = "--json", description = "print a JSON array of manifests, each with its location")
    boolean json;

    ListCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(ObjectStore store) throws IOException {
        List<SnapshotEntry> entries = snapshots(store).stream()
                .filter(e -> source == null || e.fromSource(source)).toList();
        if (json) {
            printJson(store, entries);
        } else {
            printTable(entries);
        }
        return 0;
    }

    private void printJson(ObjectStore store, List<SnapshotEntry> entries) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (SnapshotEntry entry : entries) {
            ObjectNode node = (ObjectNode) mapper.readTree(ManifestCodec.toJson(entry.manifest()));
            node.put("location", store.location(entry.prefix()));
            array.add(node);
        }
        context.out().println(mapper.writeValueAsString(array));
    }

    private void printTable(List<SnapshotEntry> entries) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"ID", "SOURCE", "ENGINE", "TAG", "SIZE", "RAW", "CREATED"});
        for (SnapshotEntry entry : entries) {
            Manifest m = entry.manifest();
            rows.add(new String[]{m.id(), entry.sourceKey(), m.engine() + " " + nullToDash(m.engineVersion()),
                    nullToDash(m.tag()), Sizes.human(m.size()), Sizes.human(m.rawSize()), CREATED.format(m.createdAt())});
        }
        if (entries.isEmpty()) {
            context.err().println("no snapshots" + (source != null ? " of source " + source : "") + " in this store");
            return;
        }
        Table.print(context.out(), rows);
    }

    private static String nullToDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
