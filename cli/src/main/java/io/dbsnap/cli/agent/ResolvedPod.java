package io.dbsnap.cli.agent;

import java.util.Map;

/** The pod and container a snapshot execs into, and what the agent needs to know of them. */
public record ResolvedPod(String namespace, String name, String container, String image,
                          Map<String, String> labels) {

    public ResolvedPod {
        labels = Map.copyOf(labels);
    }

    /** The name snapshots of this database are grouped by: stable across the pods of one workload. */
    public String sourceName(boolean chosenBySelector) {
        if (!chosenBySelector) {
            return name;
        }
        for (String label : new String[]{"app.kubernetes.io/instance", "app.kubernetes.io/name", "app"}) {
            String value = labels.get(label);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return name;
    }

    @Override
    public String toString() {
        return namespace + "/" + name + " (container " + container + ")";
    }
}
