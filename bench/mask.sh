#!/usr/bin/env bash
# make bench-mask: what masking costs on the way to a laptop. The realistic dataset (BENCH_MB, default
# 1024) snapshotted once into a local store, then restored side by side, interleaved: pg_restore from a
# file (the yardstick), dbsnap restore unmasked, and dbsnap restore --mask with two columns of each big
# table masked in the stream (hash and fixed). Peak RSS at two dataset sizes shows whether memory grows
# with the tables. Knobs: BENCH_MB, BENCH_RUNS (default 3). Measures; asserts nothing.
# Writes bench/results/mask-latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=${BENCH_MB:-1024}
RUNS=${BENCH_RUNS:-3}
DATA=${BENCH_DATA:-$(pwd)/bench/data}
DBSNAP=$(pwd)/bin/dbsnap
RESULTS=bench/results
[ -x /usr/bin/time ] || { echo "make bench-mask needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }

source bench/lib.sh
cat > "$work/rules.yaml" <<'YAML'
tables:
  customers:
    email: hash
    api_token: hash
  orders:
    note: hash
    status: fixed shipped
  events:
    session_token: hash
    kind: fixed view
YAML
export DBSNAP_MASK_KEY=bench-masking-key-0123456789abcdef

small=$((MB / 4))
for size in "$small" "$MB"; do
    db="realistic_${size}m"
    make_realistic "$db" "$size"
    store="$work/store-$size"
    "$DBSNAP" create "$(pg_url "$db")" --store "$store" --source bench >/dev/null
    pg_dump -h 127.0.0.1 -p "$PG_PORT" -U postgres -Fc -Z0 "$db" > "$work/$db.dump"
    printf '%s\traw dump bytes\t0\t0\t%s\n' "$db" "$(stat -c %s "$work/$db.dump")" >> "$raw"
    runs=$RUNS
    [ "$size" = "$small" ] && runs=1   # the small size only shows that memory stays flat
    for run in $(seq "$runs"); do
        echo " $db run $run/$runs"
        pg_sql postgres -c "DROP DATABASE IF EXISTS restored" -c "CREATE DATABASE restored"
        measure "$db" "pg_restore from a local file (the yardstick)" "" \
            "pg_restore -h 127.0.0.1 -p $PG_PORT -U postgres -d restored --single-transaction $work/$db.dump"
        pg_sql postgres -c "DROP DATABASE restored"
        measure "$db" "dbsnap restore, unmasked" "" \
            "$DBSNAP restore '$(pg_url restored)' --store '$store' --source bench --latest --no-backup --force"
        pg_sql postgres -c "DROP DATABASE restored"
        measure "$db" "dbsnap restore --mask (6 columns: 4 hash, 2 fixed)" "" \
            "$DBSNAP restore '$(pg_url restored)' --store '$store' --source bench --latest --no-backup --force --mask $work/rules.yaml"
    done
    rm -f "$work/$db.dump"
done
pg_sql postgres -c "DROP DATABASE IF EXISTS restored"

out=$RESULTS/mask-latest.md
python3 - "$raw" "$RUNS" > "$out" <<'PY'
import statistics, sys
raw, runs = sys.argv[1], sys.argv[2]
rows, dumps = {}, {}
for line in open(raw):
    dataset, label, seconds, rss, stored = line.rstrip("\n").split("\t")
    if label == "raw dump bytes":
        dumps[dataset] = int(stored)
        continue
    rows.setdefault(dataset, {}).setdefault(label, []).append((float(seconds), int(rss)))
print(f"# make bench-mask (medians; {runs} interleaved runs at the larger size, 1 at the smaller)\n")
print("| dataset | restore | median | each run | × pg_restore | MB/s of dump | peak RSS |")
print("| --- | --- | ---: | --- | ---: | ---: | ---: |")
for dataset, labels in rows.items():
    base = statistics.median(t for t, _ in next(iter(labels.values())))
    for label, runs_ in labels.items():
        m = statistics.median(t for t, _ in runs_)
        rss = max(r for _, r in runs_) // 1024
        rate = dumps[dataset] / 1e6 / m
        print(f"| {dataset} ({dumps[dataset] / 1e6:,.0f} MB dump) | {label} | {m:.2f} s | "
              f"{', '.join(f'{t:.2f}' for t, _ in runs_)} | {m / base:.2f} | {rate:,.0f} | {rss} MiB |")
PY
cat "$out"
echo "written to $out"
