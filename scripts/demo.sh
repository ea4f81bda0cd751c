#!/usr/bin/env bash
# make demo: the whole flow on one machine. A throwaway PostgreSQL with sample data, the sandbox
# cluster (an in-process Kubernetes API, S3Proxy, the operator and a job runner), then:
# kubectl apply a DatabaseSnapshot from samples/ -> Succeeded -> kubectl get -o wide -> the stored
# object's SHA-256 equals status.checksum -> dbsnap pull --restore into a second database -> same data
# -> the data changed -> kubectl apply a SnapshotRestore from samples/ -> Succeeded, a pre-restore
# snapshot kept, and the data equal to the snapshot's again -> kubectl apply a SnapshotSchedule from
# samples/ -> its immediate first snapshot Succeeded -> kubectl get dbschedule -> the laptop loop:
# kubectl dbsnap list -> kubectl dbsnap pull --restore --mask samples/mask-rules.yaml into a local
# database -> a masked row next to the original -> kubectl dbsnap psql orders-db-0 -- -c "...".
# KEEP=1 leaves the sandbox running for kubectl (the README says how).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-throwaway.sh
source scripts/sandbox-start.sh

command -v kubectl >/dev/null || { echo "make demo needs kubectl: apt-get install -y kubectl, or see kubernetes.io/docs/tasks/tools" >&2; exit 1; }
dbsnap=$PWD/bin/dbsnap
state=$PWD/.dbsnap/demo
sample=samples/databasesnapshot-postgresql.yaml
restore_sample=samples/snapshotrestore-snapshotref.yaml
schedule_sample=samples/snapshotschedule-nightly.yaml
name=orders-before-migration
work=$(mktemp -d /tmp/dbsnap-demo-XXXXXX)
chmod 755 "$work"   # the server may run as the postgres user
sandbox_pid=
stop() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    pg_stop "$work/pg"
    rm -rf "$work"
}
trap stop EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "a throwaway PostgreSQL with sample data (the database of pod prod/orders-db-0)"
pg_start "$work/pg"
pg_sql postgres -c "CREATE DATABASE orders" -c "CREATE DATABASE orders_copy"
pg_sql orders <<'SQL'
CREATE TABLE customers (id bigserial PRIMARY KEY, name text, email text UNIQUE, joined timestamptz);
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers, total numeric(10,2),
                     items jsonb, receipt bytea, placed_at timestamptz);
INSERT INTO customers (name, email, joined)
SELECT 'Customer ' || i || CASE WHEN i % 3 = 0 THEN ' 🚀 Zürich' ELSE '' END, 'c' || i || '@example.test',
       now() - i * interval '1 hour' FROM generate_series(1, 5000) i;
INSERT INTO orders (customer_id, total, items, receipt, placed_at)
SELECT 1 + i % 5000, (i % 997) + 0.99, jsonb_build_object('sku', 'SKU-' || i % 50, 'qty', 1 + i % 4),
       decode(md5(i::text), 'hex'), now() - i * interval '1 minute' FROM generate_series(1, 50000) i;
SQL
fingerprint() {
    pg_sql "$1" -At -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM customers t" \
        -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM orders t" \
        -c "SELECT last_value FROM orders_id_seq" | md5sum | cut -c1-12
}
before=$(fingerprint orders)
echo "5000 customers, 50000 orders (fingerprint $before)"

step "the sandbox: Kubernetes API, S3Proxy, the operator, the job runner (state in .dbsnap/demo)"
rm -rf "$state" && mkdir -p "$state"
sandbox_start "$state" "$dbsnap"
grep '^sandbox:' "$state/sandbox.log" || true
kubectl get pods

step "kubectl apply -f $sample (its S3 endpoint pointed at the sandbox's S3Proxy)"
sed "s#endpoint: .*#endpoint: $SANDBOX_S3_ENDPOINT#" "$sample" | kubectl apply --validate=false -f -

# waits up to 3 minutes for KIND NAME to finish; anything but Succeeded shows its status and stops the demo
await_success() {
    local phase=
    for _ in $(seq 360); do
        phase=$(kubectl get "$1" "$2" -o jsonpath='{.status.phase}')
        [ "$phase" = Succeeded ] || [ "$phase" = Failed ] && break
        sleep 0.5
    done
    echo "phase: ${phase:-none}"
    if [ "$phase" != Succeeded ]; then
        kubectl get "$1" "$2" -o yaml >&2
        tail -n 30 "$state/operator.log" >&2
        exit 1
    fi
}

step "waiting for the snapshot"
await_success databasesnapshot "$name"

step "kubectl get databasesnapshot -o wide"
kubectl get databasesnapshot -o wide

step "the stored object's SHA-256 against status.checksum"
location=$(kubectl get databasesnapshot "$name" -o jsonpath='{.status.location}')
checksum=$(kubectl get databasesnapshot "$name" -o jsonpath='{.status.checksum}')
stored="$state/s3/${location#s3://}pg.dump.zst"
actual="sha256:$(sha256sum "$stored" | cut -d' ' -f1)"
echo "status.checksum  $checksum"
echo "sha256sum        $actual  (${stored#$PWD/})"
[ "$actual" = "$checksum" ] || { echo "the stored object does not match status.checksum" >&2; exit 1; }

step "dbsnap pull prod/$name --restore into a second database, as on a laptop"
"$dbsnap" pull "prod/$name" --store "$state/laptop" --restore "$(pg_url orders_copy)" --force --no-backup

# DATABASE must hold what the snapshot holds (fingerprint $before), or the demo stops
expect_snapshot_in() {
    local now
    now=$(fingerprint "$1")
    if [ "$before" = "$now" ]; then
        echo "$1 equals the snapshot (fingerprint $now)"
    else
        echo "the restore did not bring back the data: $before in the snapshot, $now in $1" >&2
        exit 1
    fi
}

step "checking the restored data"
expect_snapshot_in orders_copy

step "the data changes (half the orders deleted, every customer renamed); kubectl apply -f $restore_sample"
pg_sql orders -q -c "DELETE FROM orders WHERE id % 2 = 0" -c "UPDATE customers SET name = 'changed'"
echo "orders now: fingerprint $(fingerprint orders)"
kubectl apply --validate=false -f "$restore_sample"
restore=$(sed -n 's/^  name: //p' "$restore_sample" | head -n 1)

step "waiting for the restore: verify every byte, snapshot the target, restore, check"
await_success snapshotrestore "$restore"
kubectl get dbrestore -o wide
safety=$(kubectl get snapshotrestore "$restore" -o jsonpath='{.status.preRestoreSnapshot}')
echo "the pre-restore snapshot, kept after the restore:"
kubectl get databasesnapshot "$safety"

step "checking the restored data"
expect_snapshot_in orders

step "kubectl apply -f $schedule_sample (nightly at 02:00 Zurich time, immediate: true)"
sed "s#endpoint: .*#endpoint: $SANDBOX_S3_ENDPOINT#" "$schedule_sample" | kubectl apply --validate=false -f -
schedule=$(sed -n 's/^  name: //p' "$schedule_sample" | head -n 1)
first=
for _ in $(seq 120); do
    first=$(kubectl get snapshotschedule "$schedule" -o jsonpath='{.status.lastSnapshot}')
    [ -n "$first" ] && break
    sleep 0.5
done
[ -n "$first" ] || { kubectl get snapshotschedule "$schedule" -o yaml >&2; exit 1; }
echo "the schedule's first snapshot: $first"
await_success databasesnapshot "$first"
kubectl get dbschedule -o wide
kubectl get databasesnapshot -l dbsnap.io/schedule="$schedule"

step "the laptop loop: kubectl dbsnap list (kubectl finds the plugin as kubectl-dbsnap on PATH)"
mkdir -p "$work/plugins" && ln -sf "$dbsnap" "$work/plugins/kubectl-dbsnap"
export PATH="$work/plugins:$PATH"
kubectl dbsnap list -n prod

step "kubectl dbsnap pull $name --restore a laptop database --mask samples/mask-rules.yaml"
pg_sql postgres -q -c "CREATE DATABASE orders_dev"
# the key makes masking repeatable (same input, same output, joins intact) and is never built in
DBSNAP_MASK_KEY=$(head -c 32 /dev/urandom | base64) kubectl dbsnap pull "$name" -n prod --store "$state/laptop" \
    --restore "$(pg_url orders_dev)" --mask samples/mask-rules.yaml --force --no-backup --no-owner
echo "in production:"
pg_sql orders -c "SELECT id, name, email FROM customers ORDER BY id LIMIT 3"
echo "on the laptop, masked:"
pg_sql orders_dev -c "SELECT id, name, email FROM customers ORDER BY id LIMIT 3"
unmasked=$(pg_sql orders_dev -At -c "SELECT count(*) FROM customers c JOIN orders o ON o.customer_id = c.id
                                      WHERE c.email LIKE 'c%@example.test' OR o.receipt IS NOT NULL")
[ "$unmasked" = 0 ] || { echo "$unmasked rows of orders_dev are not masked" >&2; exit 1; }
[ "$(pg_sql orders_dev -At -c 'SELECT count(*) FROM orders')" = "$(pg_sql orders -At -c 'SELECT count(*) FROM orders')" ] \
    || { echo "the masked copy lost orders" >&2; exit 1; }

step "kubectl dbsnap psql orders-db-0 -- -c \"select count(*) from orders\" (credentials resolved in the pod)"
kubectl dbsnap psql orders-db-0 -n prod -- -c "select count(*) from orders"

if [ "${KEEP:-}" = 1 ]; then
    # for a restore of one's own: psql "$SANDBOX_DATABASE_URL" before and after
    echo "export SANDBOX_DATABASE_URL='$(pg_url orders)'" >> "$state/sandbox.env"
    step "the sandbox keeps running (Ctrl-C stops it)"
    echo "in another shell:  source $state/sandbox.env; kubectl get dbsnap -o wide"
    wait "$sandbox_pid"
fi
