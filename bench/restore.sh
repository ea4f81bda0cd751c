#!/usr/bin/env bash
# make bench-restore: the restore paths side by side on the realistic dataset, each run interleaved: a
# single-job pg_restore from a local file (the yardstick), dbsnap restore from S3, and a SnapshotRestore
# through the packaged operator in the sandbox (the default, and preRestoreSnapshot: false), with each
# operator restore's Jobs on a timeline, and the CPU each kind of process used. Knobs: BENCH_MB (default 1024),
# BENCH_RUNS (default 3), BENCH_CPU (default 1; 0: no CPU sampling).
# Measures; asserts nothing. Writes bench/results/restore-latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=${BENCH_MB:-1024}
RUNS=${BENCH_RUNS:-3}
DATA=${BENCH_DATA:-$(pwd)/bench/data}
DBSNAP=$(pwd)/bin/dbsnap
RESULTS=bench/results
command -v kubectl >/dev/null || { echo "make bench-restore needs kubectl (the sandbox is driven with it)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "make bench-restore needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }

export BENCH_CPU=${BENCH_CPU:-1}
source bench/lib.sh
export work
db="realistic_${MB}m"
make_realistic "$db" "$MB"
pg_dump -h 127.0.0.1 -p "$PG_PORT" -U postgres -Fc -Z0 "$db" > "$work/$db.dump"
printf '%s\traw dump bytes\t0\t0\t%s\n' "$db" "$(stat -c %s "$work/$db.dump")" >> "$raw"

echo "== the sandbox, and one snapshot of $db through the operator"
source scripts/sandbox-start.sh
source bench/operator-restore.sh
mkdir -p "$work/sandbox"
sandbox_start "$work/sandbox" "$DBSNAP"
apply_snapshot "$db"
location=$(kubectl get -n "$SANDBOX_NAMESPACE" databasesnapshot bench -o jsonpath='{.status.location}')
export AWS_ENDPOINT_URL=$SANDBOX_S3_ENDPOINT AWS_EC2_METADATA_DISABLED=true

timeline="$work/timeline"
: > "$timeline"
for run in $(seq "$RUNS"); do
    echo " run $run/$RUNS"
    pg_sql postgres -c "DROP DATABASE IF EXISTS restored" -c "CREATE DATABASE restored"
    measure "$db" "pg_restore from a local file (the yardstick)" "" \
        "pg_restore -h 127.0.0.1 -p $PG_PORT -U postgres -d restored $work/$db.dump"
    pg_sql postgres -c "DROP DATABASE restored"
    measure "$db" "dbsnap restore from s3://" "" \
        "$DBSNAP restore '$(pg_url restored)' --location '$location' --no-backup --force"
    for pre in true false; do
        pg_sql postgres -c "DROP DATABASE IF EXISTS restored"
        label="SnapshotRestore via the operator (verify Job, safety snapshot, restore Job)"
        [ "$pre" = false ] && label="SnapshotRestore via the operator, preRestoreSnapshot: false"
        measure "$db" "$label" "" "bench_apply_restore bench-$run-$pre $pre"
        job_timeline "bench-$run-$pre" >> "$timeline"
    done
done
pg_sql postgres -c "DROP DATABASE IF EXISTS restored"

out=$RESULTS/restore-latest.md
python3 bench/side_by_side.py "$raw" "$timeline" "$RUNS" "make bench-restore" \
    "Every restore goes into a new database of the same server." restore 0 "× pg_restore" \
    "Operator restores, their Jobs from \`kubectl apply\`" "$cpu" > "$out"
cat "$out"
echo "written to $out"
