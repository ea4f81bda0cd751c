#!/usr/bin/env bash
# make bench-exec: pod exec throughput through the sandbox's API server (sandbox/.../ExecThroughput), the
# transport every snapshot and restore through the operator crosses. Knobs: BENCH_EXEC_MB (default 512),
# BENCH_RUNS (default 3). Measures; asserts nothing. Writes bench/results/exec-latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -o -pl sandbox dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" \
    || ./mvnw -B -q -pl sandbox dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
out=bench/results/exec-latest.md
{
    echo "# make bench-exec, $(date -u +%Y-%m-%d) ($(nproc) cores; sandbox API server and client in one JVM)"
    echo
    java -cp "sandbox/target/test-classes:sandbox/target/classes:$(cat "$cp_file")" io.dbsnap.sandbox.ExecThroughput \
        "${BENCH_EXEC_MB:-512}" "${BENCH_RUNS:-3}" 2>/dev/null
} | tee "$out"
echo "written to $out"
