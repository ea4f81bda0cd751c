# Sourced by bench/restore.sh: a SnapshotRestore through the packaged operator in the sandbox (Kubernetes
# API, S3Proxy, Job runner), timed from kubectl apply to Succeeded, beside pg_restore from a local
# file. Needs scripts/sandbox-start.sh. The sandbox's pod prod/orders-db-0 is the benchmark's PostgreSQL server.

# apply_snapshot DB: one DatabaseSnapshot, bench, of DB through the operator, waited for
apply_snapshot() {
    local db=$1
    kubectl apply --validate=false -f - >/dev/null <<YAML
apiVersion: dbsnap.io/v1alpha1
kind: DatabaseSnapshot
metadata: {name: bench, namespace: $SANDBOX_NAMESPACE}
spec:
  source: {pod: {name: orders-db-0}, database: $db}
  storage:
    s3: {bucket: snapshots, prefix: prod, endpoint: "$SANDBOX_S3_ENDPOINT", forcePathStyle: true,
         credentialsSecret: {name: s3-credentials}}
YAML
    await_phase databasesnapshots bench 900
}

# job_timeline NAME: the Jobs created since restore NAME was applied, on a timeline (bench/job_timeline.py)
job_timeline() {
    kubectl get jobs -n "$SANDBOX_NAMESPACE" -o json | python3 bench/job_timeline.py "$1" "$work/applied-$1"
}

# bench_apply_restore NAME PRE: applies a restore of snapshot bench into database restored and waits for it
bench_apply_restore() {
    date -u +%s.%N > "$work/applied-$1"
    kubectl apply --validate=false -f - >/dev/null <<YAML
apiVersion: dbsnap.io/v1alpha1
kind: SnapshotRestore
metadata: {name: $1, namespace: $SANDBOX_NAMESPACE}
spec:
  source: {snapshotRef: {name: bench}}
  target: {pod: {name: orders-db-0}, database: restored}
  preRestoreSnapshot: $2
YAML
    await_phase snapshotrestores "$1" 900
}

# await_phase PLURAL NAME SECONDS: until Succeeded, asked every 0.1 s by one process (bench/await_phase.py);
# Failed or a timeout stops the benchmark
await_phase() {
    python3 bench/await_phase.py "$@" || exit 1
}
export -f bench_apply_restore await_phase
