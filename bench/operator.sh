#!/usr/bin/env bash
# make bench-operator: one snapshot of the realistic dataset three ways, each run interleaved: the bare dump
# (pg_dump -Fc -Z0 > /dev/null), dbsnap create into the sandbox's S3, and a DatabaseSnapshot through the
# packaged operator in the sandbox, from kubectl create to Succeeded, with each one's Job on a timeline
# (created → started → completed) so that the Job's start and the transfer are both visible. Knobs: BENCH_MB
# (default 1024), BENCH_RUNS (default 3), BENCH_CPU (default 1: the CPU each kind of process used). Measures;
# asserts nothing. Writes bench/results/operator-latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=${BENCH_MB:-1024}
RUNS=${BENCH_RUNS:-3}
DATA=${BENCH_DATA:-$(pwd)/bench/data}
DBSNAP=$(pwd)/bin/dbsnap
RESULTS=bench/results
command -v kubectl >/dev/null || { echo "make bench-operator needs kubectl (the sandbox is driven with it)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "make bench-operator needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }

export BENCH_CPU=${BENCH_CPU:-1}
source bench/lib.sh
export work
db="realistic_${MB}m"
make_realistic "$db" "$MB"
printf '%s\traw dump bytes\t0\t0\t%s\n' "$db" "$(pg_dump -h 127.0.0.1 -p "$PG_PORT" -U postgres -Fc -Z0 "$db" | wc -c)" >> "$raw"

echo "== the sandbox"
source scripts/sandbox-start.sh
mkdir -p "$work/sandbox"
sandbox_start "$work/sandbox" "$DBSNAP"
export AWS_ENDPOINT_URL=$SANDBOX_S3_ENDPOINT AWS_EC2_METADATA_DISABLED=true

# snapshot_through_operator NAME: a DatabaseSnapshot of the dataset, waited for by bench/await_phase.py
snapshot_through_operator() {
    date -u +%s.%N > "$work/applied-$1"
    kubectl create --validate=false -f - >/dev/null <<YAML
apiVersion: dbsnap.io/v1alpha1
kind: DatabaseSnapshot
metadata: {name: $1, namespace: $SANDBOX_NAMESPACE}
spec:
  source: {pod: {name: orders-db-0}, database: $db}
  storage:
    s3: {bucket: snapshots, prefix: bench, endpoint: "$SANDBOX_S3_ENDPOINT", forcePathStyle: true,
         credentialsSecret: {name: s3-credentials}}
YAML
    python3 bench/await_phase.py databasesnapshots "$1" 900
}
export -f snapshot_through_operator
export db

# transfer LABEL NAME_GLOB: the snapshot's transfer alone, from its manifest (createdAt: the dump starts;
# completedAt: its last byte is stored), as a row of its own in the table
transfer() {
    local manifest
    manifest=$(find "$work/sandbox/s3/snapshots" -path "*/$2/manifest.json" | head -n 1)
    python3 -c 'import json, sys
from datetime import datetime
m = json.load(open(sys.argv[1]))
at = lambda t: datetime.fromisoformat(t.rstrip("Z")[:26])
print("%.2f" % (at(m["completedAt"]) - at(m["createdAt"])).total_seconds())' "$manifest" \
        | xargs printf '%s\t%s\t%s\t0\t0\n' "$db" "$1" >> "$raw"
}

timeline="$work/timeline"
: > "$timeline"
for run in $(seq "$RUNS"); do
    echo " run $run/$RUNS"
    measure "$db" "pg_dump -Fc -Z0 > /dev/null (the bare dump)" "" "pg_dump -h 127.0.0.1 -p $PG_PORT -U postgres -Fc -Z0 $db > /dev/null"
    measure "$db" "dbsnap create into the sandbox's S3" "" \
        "$DBSNAP create '$(pg_url "$db")' --store s3://snapshots/cli-$run"
    measure "$db" "DatabaseSnapshot via the operator (create → Succeeded)" "" "snapshot_through_operator bench-$run"
    transfer "of which the transfer, dbsnap create (first byte → stored)" "cli-$run/*/*-$db"
    transfer "of which the transfer, the operator's Job (first byte → stored)" "*-bench-$run"
    kubectl get jobs -n "$SANDBOX_NAMESPACE" -o json | python3 bench/job_timeline.py "bench-$run" "$work/applied-bench-$run" >> "$timeline"
done

out=$RESULTS/operator-latest.md
python3 bench/side_by_side.py "$raw" "$timeline" "$RUNS" "make bench-operator" \
    "Every snapshot goes to the sandbox's S3Proxy." snapshot 1 "× dbsnap create" \
    "Each operator snapshot's Job, from \`kubectl create\`" "$cpu" > "$out"
cat "$out"
echo "written to $out"
