#!/usr/bin/env bash
# make bench-encryption: what age encryption costs. The realistic dataset (BENCH_MB, default 1024),
# interleaved runs (BENCH_RUNS, default 3): dbsnap create into a local store with and without
# --recipient, next to the pipelines an expert writes by hand (pg_dump | zstd > file, and the same
# through age -r); then verify and restore of the encrypted snapshot next to the plain one.
# Measures; asserts nothing. Writes bench/results/encryption-latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=${BENCH_MB:-1024}
RUNS=${BENCH_RUNS:-3}
DATA=${BENCH_DATA:-$(pwd)/bench/data}
DBSNAP=$(pwd)/bin/dbsnap
RESULTS=bench/results
for tool in age age-keygen zstd; do
    command -v "$tool" >/dev/null || { echo "make bench-encryption needs $tool: apt-get install -y age zstd" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "make bench-encryption needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }

source bench/lib.sh
db="realistic_${MB}m"
make_realistic "$db" "$MB"
url=$(pg_url "$db")
age-keygen -o "$work/key.txt" 2>/dev/null
recipient=$(age-keygen -y "$work/key.txt")
dump="pg_dump -h 127.0.0.1 -p $PG_PORT -U postgres -Fc -Z0 $db"
$dump > /dev/null    # warm-up
printf '%s\traw dump bytes\t0\t0\t%s\n' "$db" "$($dump | wc -c)" >> "$raw"

for run in $(seq "$RUNS"); do
    echo " run $run/$RUNS"
    rm -rf "$work/plain" "$work/sealed" "$work/out"*
    measure "$db" "a pg_dump -Fc -Z0 | zstd -1 > file" "$work/out.zst" "$dump | zstd -q -1 > $work/out.zst"
    measure "$db" "b pg_dump -Fc -Z0 | zstd -1 | age -r > file" "$work/out.zst.age" \
        "$dump | zstd -q -1 | age -r $recipient > $work/out.zst.age"
    measure "$db" "c dbsnap create file://" "$work/plain" "$DBSNAP create '$url' --store file://$work/plain --source bench"
    measure "$db" "d dbsnap create file:// --recipient (age)" "$work/sealed" \
        "$DBSNAP create '$url' --store file://$work/sealed --source bench --recipient $recipient"
    measure "$db" "e dbsnap verify (plain)" "" "$DBSNAP verify --all --store file://$work/plain"
    measure "$db" "f dbsnap verify --identity (decrypt, decompress)" "" \
        "$DBSNAP verify --all --store file://$work/sealed --identity $work/key.txt"
    measure "$db" "g dbsnap verify, no identity (stored bytes only)" "" "$DBSNAP verify --all --store file://$work/sealed"
    pg_sql postgres -c "DROP DATABASE IF EXISTS restored"
    measure "$db" "h dbsnap restore (plain)" "" \
        "$DBSNAP restore '$(pg_url restored)' --store file://$work/plain --source bench --latest --no-backup --force"
    pg_sql postgres -c "DROP DATABASE restored"
    measure "$db" "i dbsnap restore --identity (age)" "" \
        "$DBSNAP restore '$(pg_url restored)' --store file://$work/sealed --source bench --latest --no-backup --force --identity $work/key.txt"
    pg_sql postgres -c "DROP DATABASE restored"
done

out=$RESULTS/encryption-latest.md
python3 - "$raw" "$RUNS" > "$out" <<'PY'
import statistics, sys
raw, runs = sys.argv[1], sys.argv[2]
rows, dumps = {}, {}
for line in open(raw):
    dataset, label, seconds, rss, stored = line.rstrip("\n").split("\t")
    if label == "raw dump bytes":
        dumps[dataset] = int(stored)
        continue
    rows.setdefault(dataset, {}).setdefault(label, []).append((float(seconds), int(rss), int(stored)))
print(f"# make bench-encryption (medians of {runs} interleaved runs)\n")
for dataset, labels in rows.items():
    print(f"{dataset}: raw dump {dumps[dataset] / 1e6:,.0f} MB\n")
    print("| pipeline | median | each run | MB/s of dump | stored | peak RSS |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    medians = {}
    for label, runs_ in labels.items():
        m = statistics.median(t for t, _, _ in runs_)
        medians[label[0]] = m
        rss = max(r for _, r, _ in runs_) // 1024
        stored = max(s for _, _, s in runs_)
        print(f"| {label.replace('|', chr(92) + '|')} | {m:.2f} s | {', '.join(f'{t:.2f}' for t, _, _ in runs_)} | "
              f"{dumps[dataset] / 1e6 / m:,.0f} | {f'{stored / 2**20:,.0f} MiB' if stored else '—'} | {rss} MiB |")
    print()
    print(f"- encryption's cost in `dbsnap create`: d / c = {medians['d'] / medians['c']:.3f} "
          f"(by hand, age's in the pipeline: b / a = {medians['b'] / medians['a']:.3f})")
    print(f"- dbsnap create with age against the hand-written pipeline with age: d / b = {medians['d'] / medians['b']:.3f}")
    print(f"- restore of the encrypted snapshot against the plain one: i / h = {medians['i'] / medians['h']:.3f}")
PY
cat "$out"
echo "written to $out"
