#!/usr/bin/env bash
# make bench-startup: how long a command that moves no data takes, from the shell's fork to its exit, next to
# Go tools a developer runs as often (restic, when installed). Medians of BENCH_STARTUP_RUNS (default 21),
# interleaved. Writes bench/results/startup-latest.md; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${BENCH_STARTUP_RUNS:-21}
DBSNAP=$(pwd)/bin/dbsnap
JAR=$(pwd)/cli/target/dbsnap.jar
OUT=bench/results/startup-latest.md
WORK=$(mktemp -d /tmp/dbsnap-bench-startup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x "$DBSNAP" ] && [ -f "$JAR" ] || { echo "run make build first" >&2; exit 1; }
mkdir -p "$WORK/empty" "$WORK/ten"
export DBSNAP_STORE=file://$WORK/empty RESTIC_PASSWORD=bench-only
# a store with ten SQLite snapshots, for a list that reads manifests
sqlite3 "$WORK/app.db" 'CREATE TABLE t (x); INSERT INTO t VALUES (1);'
for _ in $(seq 10); do "$DBSNAP" create "sqlite://$WORK/app.db" --store "file://$WORK/ten" >/dev/null; done

labels=() commands=()
add() { labels+=("$1"); commands+=("$2"); }
add "dbsnap --version" "$DBSNAP --version"
add "dbsnap list (empty local store)" "$DBSNAP list"
add "dbsnap list (10 snapshots)" "$DBSNAP list --store file://$WORK/ten"
add "dbsnap list without its class-data archive" "java -XX:+UseSerialGC -Xms16m -Xmx1g -XX:TieredStopAtLevel=1 -Xshare:auto -jar $JAR list"
add "java -version (the JVM alone)" "java -XX:+UseSerialGC -Xshare:auto -version"
if command -v restic >/dev/null; then
    restic init -q -r "$WORK/restic" >/dev/null
    add "restic version" "restic version"
    add "restic snapshots (empty repository)" "restic -q -r $WORK/restic snapshots"
fi

: >"$WORK/times"
for _ in $(seq "$RUNS"); do
    for i in "${!commands[@]}"; do
        /usr/bin/time -f "$i %e" -a -o "$WORK/times" sh -c "${commands[$i]}" >/dev/null 2>"$WORK/err" \
            || { echo "FAILED: ${labels[$i]}: $(tail -n 3 "$WORK/err")" >&2; exit 1; }
    done
done

{
    echo "# make bench-startup, $(date -u +%Y-%m-%d) ($(nproc) cores; medians of $RUNS, interleaved)"
    echo
    echo "| command | median | fastest | slowest |"
    echo "| --- | ---: | ---: | ---: |"
    for i in "${!commands[@]}"; do
        awk -v i="$i" '$1 == i { print $2 }' "$WORK/times" | sort -n | awk -v label="${labels[$i]}" \
            '{ t[NR] = $1 } END { printf "| %s | %.2f s | %.2f s | %.2f s |\n", label, t[int((NR + 1) / 2)], t[1], t[NR] }'
    done
    echo
    echo "Java $(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1); class-data archive: $( [ -f "${JAR%.jar}.jsa" ] && echo "${JAR%.jar}.jsa" || echo none)."
} >"$OUT"
cat "$OUT"
