package io.dbsnap.operator.job;

import io.dbsnap.operator.common.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.ResourceOperations;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * JOSDK's context as a reconciler of a Job-backed resource uses it: the client, the retry, and the
 * Job an informer would map to the resource (one it controls); an informer that lags can be told
 * to see none.
 */
public final class FakeContext<P extends HasMetadata> implements Context<P> {
    private final KubernetesClient client;
    private final P primary;
    private final RetryInfo retry;
    private boolean informerSeesNoJob;
    private List<? extends HasMetadata> cachedOthers;

    public FakeContext(KubernetesClient client, P primary, RetryInfo retry) {
        this.client = client;
        this.primary = primary;
        this.retry = retry;
    }

    /** An informer that has not seen the Job yet, though the API server has it. */
    public FakeContext<P> lagging() {
        informerSeesNoJob = true;
        return this;
    }

    /** An informer whose cache of every kind but Jobs still holds {@code stale}, whatever the API server has now. */
    public FakeContext<P> caching(List<? extends HasMetadata> stale) {
        cachedOthers = List.copyOf(stale);
        return this;
    }

    @Override
    public KubernetesClient getClient() {
        return client;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Optional<R> getSecondaryResource(Class<R> expectedType, String eventSourceName) {
        if (expectedType != Job.class) {
            throw new UnsupportedOperationException(expectedType.getName());
        }
        if (informerSeesNoJob) {
            return Optional.empty();
        }
        return (Optional<R>) client.batch().v1().jobs().inNamespace(primary.getMetadata().getNamespace()).list()
                .getItems().stream()
                .filter(job -> Ownership.isControlledBy(job, primary.getMetadata().getUid())).findFirst();
    }

    @Override
    public Optional<RetryInfo> getRetryInfo() {
        return Optional.ofNullable(retry);
    }

    @Override
    public <R> Set<R> getSecondaryResources(Class<R> expectedType, boolean deduplicate) {
        return getSecondaryResourcesAsStream(expectedType, deduplicate).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Stream<R> getSecondaryResourcesAsStream(Class<R> expectedType, boolean deduplicate) {
        if (expectedType != Job.class && cachedOthers != null) {
            return (Stream<R>) cachedOthers.stream().filter(expectedType::isInstance);
        }
        if (expectedType != Job.class) {
            // any other kind: what the API server has of it in the namespace, owned by the primary
            return (Stream<R>) client.resources((Class<HasMetadata>) expectedType)
                    .inNamespace(primary.getMetadata().getNamespace()).list().getItems().stream()
                    .filter(r -> Ownership.isControlledBy(r, primary.getMetadata().getUid()));
        }
        if (informerSeesNoJob) {
            return Stream.empty();
        }
        return (Stream<R>) client.batch().v1().jobs().inNamespace(primary.getMetadata().getNamespace()).list()
                .getItems().stream()
                .filter(job -> Ownership.isControlledBy(job, primary.getMetadata().getUid()));
    }

    @Override
    public ControllerConfiguration<P> getControllerConfiguration() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public EventSourceRetriever<P> eventSourceRetriever() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ResourceOperations<P> resourceOperations() {
        throw new UnsupportedOperationException("only Delete snapshots change finalizers");
    }

    @Override
    public ExecutorService getWorkflowExecutorService() {
        throw new UnsupportedOperationException();
    }

    @Override
    public P getPrimaryResource() {
        return primary;
    }

    @Override
    public IndexedResourceCache<P> getPrimaryCache() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isNextReconciliationImminent() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceDeleted() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceFinalStateUnknown() {
        return false;
    }
}
