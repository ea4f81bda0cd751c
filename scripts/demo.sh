#!/usr/bin/env bash
# make demo: a throwaway PostgreSQL with sample data is snapshotted into the default local store,
# listed, verified, changed, and restored; then the restored data is checked against the original.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-throwaway.sh

dbsnap=bin/dbsnap
work=$(mktemp -d /tmp/dbsnap-demo-XXXXXX)
chmod 755 "$work"   # the server may run as the postgres user
trap 'pg_stop "$work/pg"; rm -rf "$work"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "starting a throwaway PostgreSQL"
pg_start "$work/pg"
pg_sql postgres -c "CREATE DATABASE shop"
pg_sql shop <<'SQL'
CREATE TABLE customers (id bigserial PRIMARY KEY, name text, email text UNIQUE, joined timestamptz);
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers, total numeric(10,2),
                     items jsonb, placed_at timestamptz);
INSERT INTO customers (name, email, joined)
SELECT 'Customer ' || i || CASE WHEN i % 3 = 0 THEN ' 🚀' ELSE '' END, 'c' || i || '@example.test',
       now() - i * interval '1 hour' FROM generate_series(1, 5000) i;
INSERT INTO orders (customer_id, total, items, placed_at)
SELECT 1 + i % 5000, (i % 997) + 0.99, jsonb_build_object('sku', 'SKU-' || i % 50, 'qty', 1 + i % 4),
       now() - i * interval '1 minute' FROM generate_series(1, 50000) i;
SQL
checksum() { pg_sql shop -At -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (SELECT * FROM customers) t" \
                -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (SELECT * FROM orders) t" | md5sum | cut -c1-12; }
before=$(checksum)
echo "sample data: 5000 customers, 50000 orders (fingerprint $before)"

step "dbsnap create (into the default store, ./.dbsnap/snapshots)"
$dbsnap create "$(pg_url shop)" --source demo-shop --tag demo --note "taken by make demo"

step "dbsnap list"
$dbsnap list --source demo-shop

step "dbsnap verify"
$dbsnap verify --all --source demo-shop

step "changing the database: deleting orders, renaming customers"
pg_sql shop -c "DELETE FROM orders WHERE id % 2 = 0" -c "UPDATE customers SET name = 'oops'"
echo "fingerprint now $(checksum)"

step "dbsnap restore --tag demo"
$dbsnap restore "$(pg_url shop)" --source demo-shop --tag demo --force

after=$(checksum)
step "checking the restored data"
if [ "$before" = "$after" ]; then
    echo "restored data equals the original (fingerprint $after)"
else
    echo "restored data differs: $before before, $after after" >&2
    exit 1
fi
echo
echo "The snapshots stay in ./.dbsnap/snapshots: try 'bin/dbsnap list'."
