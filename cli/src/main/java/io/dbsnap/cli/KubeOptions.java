package io.dbsnap.cli;

import io.dbsnap.core.DbsnapException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Option;

import java.io.File;

/** kubectl's own flags, for the commands that talk to a cluster: {@code -n}, {@code -A}, {@code --context}, {@code --kubeconfig}. */
final class KubeOptions {

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "the namespace (default: the kubeconfig context's)")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "every namespace")
    boolean allNamespaces;

    @Option(names = "--context", paramLabel = "NAME", description = "the kubeconfig context to use")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "the kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
    String kubeconfig;

    /** Whether any of them was given: then {@code list} lists the cluster, not a store. */
    boolean given() {
        return namespace != null || allNamespaces || context != null || kubeconfig != null;
    }

    /** A client for the kubeconfig and context asked for; {@code $KUBECONFIG} is read from dbsnap's environment. */
    KubernetesClient open(CliContext cli) {
        String file = kubeconfig != null ? cli.workingDirectory().resolve(kubeconfig).toString()
                : cli.env().get("KUBECONFIG");
        Config config;
        if (file != null && !file.isBlank()) {
            // kubectl merges a list of files; the first names the context, as it does for most setups
            File first = new File(file.split(File.pathSeparator)[0]);
            if (!first.isFile()) {
                throw new DbsnapException("kubeconfig " + first + " does not exist");
            }
            config = Config.fromKubeconfig(context, first);
        } else {
            config = Config.autoConfigure(context);
        }
        if (namespace != null) {
            config.setNamespace(namespace);
        }
        return KubernetesClients.open(config);
    }

    /** The namespace to work in: {@code -n}, else the context's, else {@code default}. */
    String namespace(KubernetesClient client) {
        String ns = namespace != null ? namespace : client.getConfiguration().getNamespace();
        return ns == null ? "default" : ns;
    }
}
