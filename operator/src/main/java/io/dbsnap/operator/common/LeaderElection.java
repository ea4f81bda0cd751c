package io.dbsnap.operator.common;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Leader election through a Lease when {@code dbsnap.leader-election.enabled} (the chart turns it on):
 * quarkus-operator-sdk looks this bean up at start-up, and no bean (null) means every replica acts.
 */
public class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    @Produces
    @Dependent
    @Unremovable
    LeaderElectionConfiguration leaderElection(OperatorConfig config, Instance<LeaderWork> leaderWork) {
        OperatorConfig.LeaderElectionConfig election = config.leaderElection();
        if (!election.enabled()) {
            return null;
        }
        LOG.infof("leader election on: Lease %s in namespace %s", election.leaseName(),
                election.leaseNamespace().orElse("(the client's)"));
        // a replica that loses its Lease exits, and its pod restarts as a follower: two leaders never act
        return new LeaderElectionConfiguration(election.leaseName(), election.leaseNamespace().orElse(null),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
                // what acts outside JOSDK's controllers starts with them, on the leader only
                new LeaderCallbacks(() -> leaderWork.forEach(LeaderWork::start), () -> { }, leader -> { }), true);
    }
}
