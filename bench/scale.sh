#!/usr/bin/env bash
# make bench-scale: the packaged operator with many DatabaseSnapshots applied at once, measured (never asserted).
#  1. SCALE_SNAPSHOTS (default 1,000) snapshots of as many pods: the time until each has its Job, the API requests
#     the operator made meanwhile, its heap after a full GC and its RSS;
#  2. SCALE_ONE_POD (default 100) snapshots of one pod: how many Jobs it gets (one) and how many wait Queued.
# The sandbox runs without its kubelet (--kubelet off): Jobs are made and never run, so what is measured is the
# operator, not 1,000 dumps on a 2-core machine. Writes bench/results/scale-latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-throwaway.sh
source scripts/sandbox-start.sh
N=${SCALE_SNAPSHOTS:-1000}
ONE_POD=${SCALE_ONE_POD:-100}
OUT=bench/results/scale-latest.md
work=$(mktemp -d /tmp/dbsnap-bench-scale-XXXXXX)
chmod 755 "$work"
sandbox_pid=
stop() {
    [ -n "$sandbox_pid" ] && { kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; }
    pg_stop "$work/pg"
    rm -rf "$work"
}
trap stop EXIT
pg_start "$work/pg"
mkdir -p "$work/state"
sandbox_start "$work/state" "$PWD/bin/dbsnap" --kubelet off
operator_pid=$(pgrep -f -n "quarkus-run.jar")
operator_requests() { awk '$1 == "fabric8-kubernetes-client" { print $2 }' "$work/state/api-requests"; }
jobs_made() { kubectl get jobs -n prod -l app.kubernetes.io/component=snapshot --no-headers 2>/dev/null | wc -l; }

snapshots() { # snapshots FIRST COUNT POD-PATTERN
    python3 - "$@" "$SANDBOX_S3_ENDPOINT" <<'PY'
import sys
first, count, pod, endpoint = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
for i in range(first, first + count):
    print(f"""---
apiVersion: dbsnap.io/v1alpha1
kind: DatabaseSnapshot
metadata: {{name: load-{i:05d}, namespace: prod}}
spec:
  source: {{pod: {{name: {pod.replace('N', f'{i:05d}')}}}, engine: postgresql, database: orders}}
  storage: {{s3: {{bucket: snapshots, endpoint: "{endpoint}", forcePathStyle: true, credentialsSecret: {{name: s3-credentials}}}}}}""")
PY
}

echo "== $N snapshots of $N pods"
snapshots 0 "$N" "db-N" > "$work/many.yaml"
sleep 5
before=$(operator_requests)
start=$(date +%s.%N)
kubectl create --validate=false -f "$work/many.yaml" >/dev/null
applied=$(date +%s.%N)
half=
while [ "$(jobs_made)" -lt "$N" ]; do
    [ -z "$half" ] && [ "$(jobs_made)" -ge $((N / 2)) ] && half=$(date +%s.%N)
    if (( $(echo "$(date +%s.%N) - $start > 300" | bc) )); then echo "only $(jobs_made) Jobs after 300 s" >&2; break; fi
    sleep 0.5
done
done_at=$(date +%s.%N)
made=$(jobs_made)
sleep 2
after=$(operator_requests)
jcmd "$operator_pid" GC.run >/dev/null 2>&1 || true
# heap in use after the full GC: survivors, eden and old generation (jstat's S0U S1U EU OU, KiB)
heap=$(jstat -gc "$operator_pid" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { printf "%d MiB", ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024 }')
rss=$(awk '/VmRSS/ { print int($2 / 1024) " MiB" }' "/proc/$operator_pid/status")

echo "== $ONE_POD snapshots of one pod"
snapshots "$N" "$ONE_POD" "busy-db-0" > "$work/one.yaml"
kubectl create --validate=false -f "$work/one.yaml" >/dev/null
sleep 20
one_jobs=$(kubectl get jobs -n prod -o json | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
print(sum(1 for j in items if (j["metadata"].get("annotations") or {}).get("dbsnap.io/pod") == "busy-db-0"))')
queued=$(kubectl get databasesnapshots -n prod -o json | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
print(sum(1 for s in items if any(c.get("reason") == "Queued" for c in (s.get("status") or {}).get("conditions") or [])))')

{
    echo "# make bench-scale, $(date -u +%Y-%m-%d) ($(nproc) cores; sandbox API server in one JVM, kubelet off)"
    echo
    echo "| measure | value |"
    echo "| --- | ---: |"
    echo "| snapshots applied at once (one pod each) | $N |"
    echo "| kubectl create of all of them | $(printf '%.1f' "$(echo "$applied - $start" | bc)") s |"
    [ -n "$half" ] && echo "| Jobs made, half of them | $(printf '%.1f' "$(echo "$half - $start" | bc)") s |"
    echo "| Jobs made, $made of $N | $(printf '%.1f' "$(echo "$done_at - $start" | bc)") s |"
    echo "| API requests by the operator meanwhile | $((after - before)) ($(echo "scale=1; ($after - $before) / $N" | bc) per snapshot, $(echo "scale=0; ($after - $before) / ($done_at - $start)" | bc)/s) |"
    echo "| operator heap after a full GC | ${heap:-?} |"
    echo "| operator RSS | $rss |"
    echo "| then $ONE_POD snapshots of one pod: its Jobs after 20 s | $one_jobs |"
    echo "| ... snapshots waiting Queued | $queued |"
} > "$OUT"
cat "$OUT"
