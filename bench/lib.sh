# Sourced by the benchmarks (bench/run.sh, bench/restore.sh): the PostgreSQL server and datasets they share,
# kept in $DATA between runs, and measure. Needs DATA and RESULTS set; sets work, PG_*, and the cleanup trap.
source scripts/pg-throwaway.sh

mkdir -p "$DATA" "$RESULTS"
chmod 755 "$DATA"                      # the server may run as the postgres user
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$DATA"; then
    # a checkout under /root is closed to the postgres user: keep the databases where it can go
    DATA=/var/tmp/dbsnap-bench
    mkdir -p "$DATA" && chmod 755 "$DATA"
    echo "note: keeping the benchmark databases in $DATA (the postgres user cannot reach this checkout)"
fi
work=$(mktemp -d "$DATA/run-XXXXXX")
s3pid=
sandbox_pid=
cleanup() {
    [ -n "$s3pid" ] && kill "$s3pid" 2>/dev/null || true
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true
    pg_stop "$DATA/pg"
    rm -rf "$work"
}
trap cleanup EXIT

echo "== PostgreSQL (reused between runs in $DATA/pg)"
PG_EXTRA_OPTS="-c shared_buffers=256MB -c max_wal_size=8GB -c checkpoint_timeout=1h -c fsync=off" pg_start "$DATA/pg"
db_exists() { [ "$(pg_sql postgres -At -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
# Datasets load under a temporary name and get theirs only when complete: an interrupted load is
# never reused as if it were whole.
make_pgbench() {
    local db=$1 mb=$2 scale=$(( (70 * $2 + 1023) / 1024 ))
    db_exists "$db" && return
    echo "creating $db (pgbench -i -s $scale)"
    pg_sql postgres -c "DROP DATABASE IF EXISTS ${db}_loading" -c "CREATE DATABASE ${db}_loading"
    PGPASSWORD=$PG_PASSWORD "$PG_BIN/pgbench" -q -i -s $scale -h 127.0.0.1 -p "$PG_PORT" -U postgres "${db}_loading" >/dev/null
    pg_sql postgres -c "ALTER DATABASE ${db}_loading RENAME TO $db"
}
make_realistic() {
    local db=$1 mb=$2
    db_exists "$db" && return
    echo "creating $db (realistic mix, ~$mb MB)"
    pg_sql postgres -c "DROP DATABASE IF EXISTS ${db}_loading" -c "CREATE DATABASE ${db}_loading"
    pg_sql "${db}_loading" -v rows=$((2441 * mb)) -f bench/realistic.sql
    pg_sql postgres -c "ALTER DATABASE ${db}_loading RENAME TO $db"
}
raw="$work/measurements"          # tab-separated: dataset, label, seconds, peak RSS KiB, stored bytes
: > "$raw"
export PGPASSWORD=$PG_PASSWORD PGOPTIONS="-c client_min_messages=warning"

cpu="$work/cpu"                   # with BENCH_CPU=1, tab-separated: label, kind of process, CPU-seconds
: > "$cpu"

# measure DATASET LABEL STORED_PATH COMMAND: wall time and peak RSS (largest process) of one run; with
# BENCH_CPU=1 also the CPU-seconds each kind of process used meanwhile (bench/cpu_by_process.py)
measure() {
    local dataset=$1 label=$2 stored=$3 command=$4 sampler=
    if [ "${BENCH_CPU:-0}" = 1 ]; then
        python3 bench/cpu_by_process.py sample "$work/cpu-samples" & sampler=$!
    fi
    if ! /usr/bin/time -f "%e %M" -o "$work/time" bash -o pipefail -c "$command" >"$work/out" 2>"$work/err"; then
        echo "FAILED: $label: $(tail -n 3 "$work/err")" >&2
        [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
        exit 1
    fi
    if [ -n "$sampler" ]; then
        kill "$sampler" && wait "$sampler" 2>/dev/null || true
        python3 bench/cpu_by_process.py summary "$work/cpu-samples" | awk -v label="$label" '{ print label "\t" $0 }' >> "$cpu"
    fi
    local size=0
    [ -n "$stored" ] && [ -e "$stored" ] && size=$(du -sb "$stored" | cut -f1)
    read -r seconds rss < "$work/time"
    printf '%s\t%s\t%s\t%s\t%s\n' "$dataset" "$label" "$seconds" "$rss" "$size" >> "$raw"
    printf '  %-44s %7.2f s  %6d MiB RSS\n' "$label" "$seconds" $((rss / 1024))
}

