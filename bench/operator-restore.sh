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
    await_phase databasesnapshot bench 900
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
    await_phase snapshotrestore "$1" 900
}

# await_phase KIND NAME SECONDS: polls every second until Succeeded (each kubectl costs a tenth of a
# core-second, which a faster poll would take from the restore it times); Failed or a timeout stops the benchmark
await_phase() {
    local phase= deadline=$((SECONDS + $3))
    while [ $SECONDS -lt $deadline ]; do
        phase=$(kubectl get -n "$SANDBOX_NAMESPACE" "$1" "$2" -o jsonpath='{.status.phase}')
        [ "$phase" = Succeeded ] && return 0
        [ "$phase" = Failed ] && break
        sleep 1
    done
    echo "$1 $2 ended ${phase:-without a phase}:" >&2
    kubectl get -n "$SANDBOX_NAMESPACE" "$1" "$2" -o yaml >&2
    exit 1
}
export -f bench_apply_restore await_phase
