#!/usr/bin/env bash
# make bench-engines: snapshots per engine (MariaDB, Redis, SQLite) next to the bare tool, on throwaway
# servers of about BENCH_ENGINE_MB (default 512) each; BENCH_RUNS (default 3) interleaved runs of each,
# medians. Prints a table; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${BENCH_ENGINE_MB:-512}
RUNS=${BENCH_RUNS:-3}
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_RUNS must be a number of runs, 1 or more" >&2; exit 1; }
DBSNAP=$(pwd)/bin/dbsnap
WORK=$(mktemp -d /tmp/dbsnap-bench-engines.XXXXXX)
trap 'redis-cli -p "${RPORT:-1}" shutdown nosave >/dev/null 2>&1 || true; [ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
export TMPDIR=$WORK DBSNAP_STORE=file://$WORK/store
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
seconds() { local s=$(date +%s.%N); "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }; echo "$(date +%s.%N) - $s" | bc; }
row() { printf '| %-8s | %8s | %-34s | %6.2f s | %7.1f MB/s | %-22s | %6.2f s | %7.1f MB/s |\n' "$1" "$2" "$3" "$4" "$(echo "$2 / $4" | bc -l)" "$5" "$6" "$(echo "$2 / $6" | bc -l)"; }
mb() { echo "$(( $1 / 1048576 ))"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# side_by_side BARE OURS: RUNS runs of each sh command, interleaved; sets bare and ours to the medians
side_by_side() {
  local b= o=
  for _ in $(seq "$RUNS"); do b="$b $(seconds sh -c "$1")"; o="$o $(seconds sh -c "$2")"; done
  bare=$(printf '%s\n' $b | median); ours=$(printf '%s\n' $o | median)
}
echo "| engine | raw MB | bare tool | time | throughput | dbsnap create (zstd, file store) | time | throughput |"
echo "|---|---:|---|---:|---:|---|---:|---:|"

# MariaDB: rows of text and binary in InnoDB
MPORT=$(free_port); mkdir -p "$WORK/m"
mariadb-install-db --no-defaults --user=root --datadir="$WORK/m/data" --skip-test-db >/dev/null 2>&1
mariadbd --no-defaults --user=root --datadir="$WORK/m/data" --socket="$WORK/m/sock" --port="$MPORT" \
  --bind-address=127.0.0.1 --skip-log-bin --innodb-buffer-pool-size=1G --innodb-flush-log-at-trx-commit=0 \
  >"$WORK/m/log" 2>&1 & MPID=$!
for _ in $(seq 100); do mariadb --no-defaults -uroot --socket="$WORK/m/sock" -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
mariadb --no-defaults -uroot --socket="$WORK/m/sock" -e "CREATE DATABASE bench; CREATE USER b@'%' IDENTIFIED BY 'b'; GRANT ALL ON *.* TO b@'%';"
ROWS=$(( MB * 1048576 / 600 ))
mariadb --no-defaults -uroot --socket="$WORK/m/sock" bench -e "SET SESSION max_recursive_iterations = 100000000;
  CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(100), body TEXT, blob_ BLOB) ENGINE=InnoDB;
  INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
  SELECT i, CONCAT('name ', i), REPEAT(CONCAT('text ', i, ' '), 30), UNHEX(SHA2(i, 512)) FROM n;"
side_by_side "MYSQL_PWD=b mariadb-dump --no-defaults -h127.0.0.1 -P$MPORT -ub --single-transaction --routines --triggers --events --hex-blob --quick bench > $WORK/m/dump.sql" \
  "'$DBSNAP' create 'mariadb://b:b@127.0.0.1:$MPORT/bench'"
raw=$(mb "$(stat -c %s "$WORK/m/dump.sql")"); rm -f "$WORK/m/dump.sql"
row mariadb "$raw" "mariadb-dump > file" "$bare" "mariadb://" "$ours"

# Redis: strings and hashes
RPORT=$(free_port); mkdir -p "$WORK/r"
# the 5 s a server waits for more replicas before a diskless transfer (repl-diskless-sync-delay) is left out
redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$WORK/r" --save "" --appendonly no --daemonize yes \
  --logfile "$WORK/r/log" --enable-debug-command yes --repl-diskless-sync-delay 0
for _ in $(seq 50); do redis-cli -p "$RPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
# uncompressed, so the RDB is as large as the data
redis-cli -p "$RPORT" CONFIG SET rdbcompression no >/dev/null
redis-cli -p "$RPORT" DEBUG POPULATE $(( MB * 1048576 / 600 )) key 512 >/dev/null
side_by_side "rm -f $WORK/r/bare.rdb && redis-cli -p $RPORT --rdb $WORK/r/bare.rdb" "'$DBSNAP' create redis://127.0.0.1:$RPORT"
raw=$(mb "$(stat -c %s "$WORK/r/bare.rdb")"); rm -f "$WORK/r/bare.rdb"
row redis "$raw" "redis-cli --rdb file" "$bare" "redis://" "$ours"

# SQLite: a file of rows with text and blobs
sqlite3 "$WORK/app.db" "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, body TEXT, b BLOB);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $(( MB * 1048576 / 400 )))
  INSERT INTO t SELECT i, 'name ' || i, printf('%.200c', 'x') || i, randomblob(64) FROM n;" >/dev/null
side_by_side "rm -f $WORK/bare.db && sqlite3 $WORK/app.db \".backup '$WORK/bare.db'\"" "'$DBSNAP' create sqlite://$WORK/app.db"
raw=$(mb "$(stat -c %s "$WORK/bare.db")"); rm -f "$WORK/bare.db"
row sqlite "$raw" "sqlite3 .backup file" "$bare" "sqlite://" "$ours"
