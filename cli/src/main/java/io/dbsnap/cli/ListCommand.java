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
import io.dbsnap.core.DbsnapException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.time.Instant;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

@Command(name = "list", mixinStandardHelpOptions = true, description = {
        "List the snapshots in the store, oldest first; with -n, -A, --context or --kubeconfig (or as kubectl dbsnap",
        "without --store) the cluster's DatabaseSnapshots, or its restores or schedules."})
final class ListCommand extends StoreCommand {

    /** Set by the launcher when it runs as kubectl-dbsnap: then {@code list} means the cluster's. */
    static final String KUBECTL_PLUGIN_ENV = "DBSNAP_KUBECTL_PLUGIN";

    @Mixin
    KubeOptions kube = new KubeOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, json or yaml (the cluster's resources)")
    String output;

    @Option(names = "--ready", description = "only Succeeded snapshots")
    boolean ready;

    @Option(names = "--restores", description = "the cluster's SnapshotRestores instead")
    boolean restores;

    @Option(names = "--schedules", description = "the cluster's SnapshotSchedules instead")
    boolean schedules;

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
    protected Integer withoutStore() {
        boolean cluster = kube.given() || output != null || ready || restores || schedules
                || (context.env().containsKey(KUBECTL_PLUGIN_ENV) && storeOptions.store == null);
        if (!cluster) {
            return null;
        }
        if (storeOptions.store != null || json || source != null) {
            throw new ParameterException(spec.commandLine(), "--store, --source and --json list a store; -n, -A, "
                    + "--context, --kubeconfig, -o, --ready, --restores and --schedules list the cluster: not both");
        }
        if (restores && schedules) {
            throw new ParameterException(spec.commandLine(), "--restores or --schedules, not both");
        }
        ClusterListing.Output format = format();
        try (KubernetesClient client = kube.open(context)) {
            String namespace = kube.allNamespaces ? null : kube.namespace(client);
            ClusterListing listing = new ClusterListing(client, Instant.now());
            if (restores) {
                listing.restores(namespace, format, context.out());
            } else if (schedules) {
                listing.schedules(namespace, format, context.out());
            } else {
                listing.snapshots(namespace, ready, format, context.out());
            }
        } catch (KubernetesClientException e) {
            throw new DbsnapException("cannot list the cluster's resources: " + e.getMessage(), e);
        }
        return 0;
    }

    private ClusterListing.Output format() {
        if (output == null) {
            return ClusterListing.Output.TABLE;
        }
        return switch (output) {
            case "wide" -> ClusterListing.Output.WIDE;
            case "json" -> ClusterListing.Output.JSON;
            case "yaml" -> ClusterListing.Output.YAML;
            default -> throw new ParameterException(spec.commandLine(), "-o takes wide, json or yaml, not " + output);
        };
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
