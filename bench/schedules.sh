#!/usr/bin/env bash
# make bench-schedules: the operator with many schedules, measured (never asserted).
#  1. 200 SnapshotSchedules due in the same minute, no jitter: the delay from the slot to the creation
#     of each one's snapshot (median, max), from the operator's own log line for each creation;
#  2. the operator's memory (RSS, and the heap after a full GC) with those 200 schedules and 10,000
#     snapshots owned by them.
# The snapshots name an S3 Secret that does not exist, so each fails (SecretNotFound) before a Job: what is measured
# is the schedule side, not 200 dumps at once on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-throwaway.sh
source scripts/sandbox-start.sh
SCHEDULES=${SCHEDULES:-200}
CHILDREN=${CHILDREN:-10000}
work=$(mktemp -d /tmp/dbsnap-bench-schedules-XXXXXX)
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
sandbox_start "$work/state" "$PWD/bin/dbsnap"
api=$(head -n1 "$work/state/ready")
operator_pid=$(pgrep -f -n "quarkus-run.jar")

python3 - "$SCHEDULES" "$SANDBOX_S3_ENDPOINT" > "$work/schedules.yaml" <<'PY'
import sys
n, endpoint = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    print(f"""---
apiVersion: dbsnap.io/v1alpha1
kind: SnapshotSchedule
metadata: {{name: load-{i:03d}, namespace: prod}}
spec:
  schedule: "* * * * *"
  snapshotTemplate:
    spec:
      source: {{pod: {{name: absent-db-0}}, engine: postgresql}}
      storage: {{s3: {{bucket: snapshots, endpoint: "{endpoint}", forcePathStyle: true, credentialsSecret: {{name: no-such-secret}}}}}}""")
PY
echo "creating $SCHEDULES schedules ..."
kubectl apply --validate=false -f "$work/schedules.yaml" >/dev/null
# the first whole minute after all exist, plus time for every creation to be logged
now=$(date +%s); slot=$(( (now / 60 + 1) * 60 )); sleep $(( slot - now + 25 ))
python3 - "$work/state/operator.log" "$slot" "$SCHEDULES" <<'PY'
import datetime, re, statistics, sys
log, slot, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
stamp = datetime.datetime.fromtimestamp(slot, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
delays = []
for line in open(log, errors="replace"):
    m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) .*created snapshot (load-\d+)-\d+ for slot " + re.escape(stamp), line)
    if m:
        at = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").replace(tzinfo=datetime.timezone.utc)
        delays.append(at.timestamp() - slot)
if len(delays) < n:
    print(f"only {len(delays)} of {n} snapshots were created for slot {stamp}")
if delays:
    print(f"slot -> snapshot created, {len(delays)} schedules due at {stamp}: median {statistics.median(delays):.3f} s, "
          f"max {max(delays):.3f} s")
PY

python3 - "$api" "$CHILDREN" "$SCHEDULES" <<'PY'
import concurrent.futures, json, sys, time, urllib.request
api, children, schedules = sys.argv[1].rstrip("/"), int(sys.argv[2]), int(sys.argv[3])
items = json.load(urllib.request.urlopen(f"{api}/apis/dbsnap.io/v1alpha1/namespaces/prod/snapshotschedules"))["items"]
uids = {s["metadata"]["name"]: s["metadata"]["uid"] for s in items}
names = sorted(uids)
def create(i):
    owner = names[i % len(names)]
    body = {"apiVersion": "dbsnap.io/v1alpha1", "kind": "DatabaseSnapshot",
            "metadata": {"name": f"{owner}-2026{i:08d}", "namespace": "prod",
                         "labels": {"dbsnap.io/schedule": owner},
                         "annotations": {"dbsnap.io/slot": "2026-01-01T00:00:00Z"},
                         "ownerReferences": [{"apiVersion": "dbsnap.io/v1alpha1", "kind": "SnapshotSchedule",
                                              "name": owner, "uid": uids[owner], "controller": True}]},
            "spec": {"source": {"pod": {"name": "absent-db-0"}, "engine": "postgresql"},
                     "storage": {"s3": {"bucket": "snapshots", "credentialsSecret": {"name": "no-such-secret"}}},
                     "deletionPolicy": "Retain"}}
    req = urllib.request.Request(f"{api}/apis/dbsnap.io/v1alpha1/namespaces/prod/databasesnapshots",
                                 data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
start = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(create, range(children)))
print(f"created {children} snapshots owned by {len(names)} schedules in {time.monotonic() - start:.0f} s")
PY
# let the operator see and settle all of them (each fails at once: no such pod)
for _ in $(seq 120); do
    pending=$(kubectl get databasesnapshot -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' | grep -vc '^Failed$' || true)
    [ "$pending" -le 1 ] && break
    sleep 5
done
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$operator_pid/status")
jcmd "$operator_pid" GC.run >/dev/null
heap=$(jcmd "$operator_pid" GC.heap_info | grep -oE 'generation +total [0-9]+K, used [0-9]+K' | grep -oE 'used [0-9]+' \
    | awk '{used += $2} END {print int(used / 1024)}')
echo "operator with $SCHEDULES schedules and $CHILDREN snapshots (${pending} not yet final): RSS ${rss} MiB, heap in use after a full GC ${heap} MiB (-Xmx256m)"
