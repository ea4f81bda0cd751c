#!/usr/bin/env bash
# make bench: dbsnap against the bare dump and against what people use today, on two PostgreSQL
# databases (pgbench's, which compresses ~100x, and a realistic mix that compresses 2-4x).
# Measures; asserts nothing about time. Knobs: BENCH_MB (size of each database, default 1024),
# BENCH_LARGE_MB (second size for the memory check, default 3072; 0 skips), BENCH_RUNS (default 3).
# Restores through the operator are in make bench-restore (bench/restore.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

MB=${BENCH_MB:-1024}
LARGE_MB=${BENCH_LARGE_MB:-3072}
RUNS=${BENCH_RUNS:-3}
DATA=${BENCH_DATA:-$(pwd)/bench/data}
DBSNAP=$(pwd)/bin/dbsnap
RESULTS=bench/results
STAMP=$(date -u +%Y%m%d-%H%M)
export RESTIC_PASSWORD=bench-only

missing=()
command -v restic >/dev/null || missing+=(restic)
command -v rclone >/dev/null || missing+=(rclone)
command -v zstd >/dev/null || missing+=(zstd)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "make bench needs ${missing[*]}: apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

source bench/lib.sh
make_pgbench "pgbench_${MB}m" "$MB"
make_realistic "realistic_${MB}m" "$MB"
if [ "$LARGE_MB" -gt 0 ]; then make_realistic "realistic_${LARGE_MB}m" "$LARGE_MB"; fi

echo "== S3Proxy (filesystem store under $work/s3)"
cp_file="$DATA/s3proxy.classpath"
./mvnw -B -q dependency:build-classpath -pl core -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" \
    >"$work/classpath.log" 2>&1 || { cat "$work/classpath.log" >&2; exit 1; }
s3port=$(free_port)
mkdir -p "$work/s3/bench"
cat > "$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret-key
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/s3
PROPS
java -cp "$(cat "$cp_file")" org.gaul.s3proxy.Main --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
s3pid=$!
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$s3port) 2>/dev/null && break; sleep 0.1; done
if ! (echo > /dev/tcp/127.0.0.1/$s3port) 2>/dev/null; then
    echo "S3Proxy did not start:" >&2
    tail -n 20 "$work/s3proxy.log" >&2
    exit 1
fi
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_ENDPOINT_URL=http://127.0.0.1:$s3port AWS_EC2_METADATA_DISABLED=true
# rclone's remote for the same S3Proxy, from the environment alone (no config file); a CA bundle set for HTTPS
# elsewhere makes rclone refuse its plain-HTTP transport
export RCLONE_CONFIG_S3PROXY_TYPE=s3 RCLONE_CONFIG_S3PROXY_PROVIDER=Other RCLONE_CONFIG_S3PROXY_ENDPOINT=$AWS_ENDPOINT_URL \
    RCLONE_CONFIG_S3PROXY_ACCESS_KEY_ID=bench RCLONE_CONFIG_S3PROXY_SECRET_ACCESS_KEY=bench-secret-key \
    RCLONE_CONFIG_S3PROXY_REGION=us-east-1 RCLONE_CONFIG_S3PROXY_FORCE_PATH_STYLE=true
unset AWS_CA_BUNDLE

dump="pg_dump -h 127.0.0.1 -p $PG_PORT -U postgres"
# an age recipient for the encrypted row (make bench-encryption has the whole comparison)
recipient=$("$DBSNAP" keygen -o "$work/age.txt" 2>&1 | sed 's/^Public key: //')

bench_dataset() {
    local db=$1 url
    url=$(pg_url "$db")
    echo "== $db"
    $dump -Fc -Z0 "$db" > "$work/$db.dump"          # warm-up, and the file pg_restore reads
    printf '%s\traw dump bytes\t0\t0\t%s\n' "$db" "$(stat -c %s "$work/$db.dump")" >> "$raw"
    for run in $(seq "$RUNS"); do
        echo " run $run/$RUNS"
        measure "$db" "1 pg_dump -Fc -Z0 > /dev/null (the limit)" "" "$dump -Fc -Z0 $db > /dev/null"
        measure "$db" "2 pg_dump -Fc > /dev/null" "" "$dump -Fc $db > /dev/null"
        measure "$db" "3 pg_dump -Fc -Z0 | gzip > file" "$work/out.gz" "$dump -Fc -Z0 $db | gzip > $work/out.gz"
        rm -rf "$work/restic" && restic init -q --repo "$work/restic" >/dev/null
        measure "$db" "4 pg_dump -Fc -Z0 | restic backup --stdin" "$work/restic" \
            "$dump -Fc -Z0 $db | restic backup -q --repo $work/restic --stdin --stdin-filename $db.dump"
        measure "$db" "4b restic, 2nd backup of unchanged data" "" \
            "$dump -Fc -Z0 $db | restic backup -q --repo $work/restic --stdin --stdin-filename $db.dump"
        rm -rf "$work/store"
        measure "$db" "5 dbsnap create file://" "$work/store" "$DBSNAP create '$url' --store file://$work/store"
        rm -rf "$work/sealed"
        measure "$db" "5e dbsnap create file:// --recipient (age)" "$work/sealed" \
            "$DBSNAP create '$url' --store file://$work/sealed --recipient $recipient"
        rm -rf "$work/sealed"
        # what a user would pipe into S3 instead: the same compression, the same S3Proxy, with a SHA-256 beside it
        measure "$db" "4r pg_dump -Fc -Z0 | zstd -1 | rclone rcat s3:// (S3Proxy)" "$work/s3/bench/rclone-$db-$run" \
            "$dump -Fc -Z0 $db | zstd -1 -T0 -q | tee >(sha256sum > $work/rclone.sha256) | rclone -q rcat s3proxy:bench/rclone-$db-$run/pg.dump.zst"
        measure "$db" "5 dbsnap create s3:// (S3Proxy)" "$work/s3/bench/$db-$run" \
            "$DBSNAP create '$url' --store s3://bench/$db-$run --json > $work/$db-$run.json"
        for variant in "--workers 0" "--workers 2" "--level 3"; do
            rm -rf "$work/s3/bench/tuning"
            measure "$db" "5t dbsnap create s3:// $variant" "$work/s3/bench/tuning" \
                "$DBSNAP create '$url' --store s3://bench/tuning $variant"
        done
        measure "$db" "6v dbsnap verify (download, SHA-256, decompress)" "" \
            "$DBSNAP verify --all --store s3://bench/$db-$run"
        pg_sql postgres -c "DROP DATABASE IF EXISTS restored" -c "CREATE DATABASE restored"
        measure "$db" "6 pg_restore from a local file" "" "pg_restore -h 127.0.0.1 -p $PG_PORT -U postgres -d restored $work/$db.dump"
        pg_sql postgres -c "DROP DATABASE restored"
        local id
        id=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['id'])" "$work/$db-$run.json")
        measure "$db" "6 dbsnap restore from s3:// (S3Proxy)" "" \
            "$DBSNAP restore '$(pg_url restored)' --store s3://bench/$db-$run --id $id --no-backup --force"
        pg_sql postgres -c "DROP DATABASE restored"
        measure "$db" "6j dbsnap restore --jobs 2 from s3://" "" \
            "$DBSNAP restore '$(pg_url restored)' --store s3://bench/$db-$run --id $id --no-backup --force --jobs 2"
        pg_sql postgres -c "DROP DATABASE restored"
        rm -rf "$work/s3/bench/tuning"
    done
    rm -f "$work/$db.dump" "$work/out.gz"
}

bench_dataset "pgbench_${MB}m"
bench_dataset "realistic_${MB}m"
if [ "$LARGE_MB" -gt 0 ]; then
    db="realistic_${LARGE_MB}m"
    echo "== $db (memory at a second size; one run)"
    printf '%s\traw dump bytes\t0\t0\t%s\n' "$db" "$($dump -Fc -Z0 "$db" | wc -c)" >> "$raw"
    measure "$db" "1 pg_dump -Fc -Z0 > /dev/null (the limit)" "" "$dump -Fc -Z0 $db > /dev/null"
    measure "$db" "5 dbsnap create s3:// (S3Proxy)" "$work/s3/bench/$db" "$DBSNAP create '$(pg_url "$db")' --store s3://bench/$db"
fi

echo "== pipeline micro-benchmark (count -> zstd -> SHA-256, no database, no store)"
micro=$(java -cp "core/target/test-classes:core/target/classes:$(cat "$cp_file")" io.dbsnap.core.pipeline.PipelineBenchmark "${BENCH_MICRO_MB:-256}" 3)
echo "$micro"

echo "== start-up (make bench-startup)"
bash bench/startup.sh >/dev/null

out="$RESULTS/$STAMP.md"
python3 bench/report.py "$raw" "$micro" "$MB" "$LARGE_MB" "$RUNS" > "$out"
{ echo; sed 's/^# make bench-startup/## Start-up (make bench-startup)/' "$RESULTS/startup-latest.md"; } >> "$out"
cp "$out" "$RESULTS/latest.md"
echo
cat "$out"
echo
echo "written to $out (and $RESULTS/latest.md)"
