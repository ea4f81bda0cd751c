package io.dbsnap.operator.common;

/**
 * Work the operator does outside JOSDK's controllers that only one replica may do: it starts when
 * this replica leads ({@link LeaderElection}), or at start-up when there is no leader election.
 */
public interface LeaderWork {

    /** Called once this replica may act; must be safe to call twice. */
    void start();
}
