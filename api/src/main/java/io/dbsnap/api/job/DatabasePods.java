package io.dbsnap.api.job;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which pod a snapshot reads: the rule the operator applies when it picks the pod a selector means
 * (and grants the Job access to that pod alone), and the agent when it checks the pod before reading.
 */
public final class DatabasePods {

    private DatabasePods() {
    }

    /** Running, Ready and not being deleted: a pod whose database answers. */
    public static boolean isReady(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
                || !"Running".equals(pod.getStatus().getPhase())) {
            return false;
        }
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Of the pods a selector matched, the Ready one first by name: the same pod on every run while it is up. */
    public static Optional<Pod> chooseReady(List<Pod> matched) {
        return matched.stream().filter(DatabasePods::isReady).min(Comparator.comparing(p -> p.getMetadata().getName()));
    }

    /** Why a pod is not Ready, in a few words: {@code terminating}, {@code Pending}, {@code Running but not Ready}. */
    public static String describe(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return "terminating";
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return phase == null ? "without status" : phase + ("Running".equals(phase) ? " but not Ready" : "");
    }

    /** A LabelSelector in kubectl's syntax, {@code app=orders,tier in (db),!canary}: what the Job is given. */
    public static String selector(LabelSelector selector) {
        List<String> parts = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            new TreeMap<>(selector.getMatchLabels()).forEach((k, v) -> parts.add(k + "=" + v));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String values = r.getValues() == null ? "" : String.join(",", r.getValues());
                switch (r.getOperator()) {
                    case "In" -> parts.add(r.getKey() + " in (" + values + ")");
                    case "NotIn" -> parts.add(r.getKey() + " notin (" + values + ")");
                    case "Exists" -> parts.add(r.getKey());
                    case "DoesNotExist" -> parts.add("!" + r.getKey());
                    default -> throw new IllegalArgumentException("unknown selector operator " + r.getOperator());
                }
            }
        }
        return String.join(",", parts);
    }

    /**
     * Whether labels match a selector written by {@link #selector(LabelSelector)}: the agent checks
     * that the pod the operator chose still is one the selector means before reading it.
     */
    public static boolean matches(Map<String, String> labels, String selector) {
        for (String term : terms(selector)) {
            Matcher set = SET_TERM.matcher(term);
            if (set.matches()) {
                Set<String> values = new HashSet<>(Arrays.asList(set.group(3).split("\\s*,\\s*")));
                boolean in = labels.containsKey(set.group(1)) && values.contains(labels.get(set.group(1)));
                if (in != set.group(2).equals("in")) {
                    return false;
                }
            } else if (term.startsWith("!")) {
                if (labels.containsKey(term.substring(1).strip())) {
                    return false;
                }
            } else if (term.contains("!=")) {
                String[] kv = term.split("!=", 2);
                if (kv[1].strip().equals(labels.get(kv[0].strip()))) {
                    return false;
                }
            } else if (term.contains("=")) {
                String[] kv = term.split("==?", 2);
                if (!kv[1].strip().equals(labels.get(kv[0].strip()))) {
                    return false;
                }
            } else if (!labels.containsKey(term)) {
                return false;
            }
        }
        return true;
    }

    private static final Pattern SET_TERM = Pattern.compile("^\\s*(\\S+)\\s+(in|notin)\\s*\\((.*)\\)\\s*$");

    /** The selector's terms: split at commas outside parentheses. */
    private static List<String> terms(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                terms.add(selector.substring(start, i).strip());
                start = i + 1;
            }
        }
        terms.add(selector.substring(start).strip());
        terms.removeIf(String::isEmpty);
        return terms;
    }

    public static String noPodMatches(String namespace, String selector) {
        return "no pod in namespace " + namespace + " matches the selector " + selector
                + ": check spec.source.pod.selector";
    }

    public static String noneReady(String namespace, String selector, int matched) {
        return matched + " pod(s) in namespace " + namespace + " match " + selector + " but none is Running and Ready";
    }
}
