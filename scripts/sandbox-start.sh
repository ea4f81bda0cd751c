#!/usr/bin/env bash
# Shared by the demo and the benchmark. Source it, then: sandbox_start DIR DBSNAP starts the sandbox
# (Kubernetes API, S3Proxy, the packaged operator, a Job runner) for the PostgreSQL server that
# pg-throwaway.sh started, waits until it is ready, sets sandbox_pid and sources DIR/sandbox.env. More
# arguments go to SandboxMain (--kubelet off: Jobs are made and never run).
sandbox_start() {
    local dir=$1 dbsnap=$2
    java -XX:+UseSerialGC -Xmx512m -cp "sandbox/target/dbsnap-sandbox-0.1.0.jar:sandbox/target/lib/*" \
        io.dbsnap.sandbox.SandboxMain --dir "$dir" --crds crds --dbsnap "$dbsnap" \
        --operator operator/target/quarkus-app/quarkus-run.jar --pg-port "$PG_PORT" --pg-password "$PG_PASSWORD" "${@:3}" \
        >"$dir/sandbox.log" 2>&1 &
    sandbox_pid=$!
    for _ in $(seq 600); do
        [ -f "$dir/ready" ] && break
        kill -0 "$sandbox_pid" 2>/dev/null || { echo "the sandbox stopped:" >&2; tail -n 30 "$dir/sandbox.log" >&2; exit 1; }
        sleep 0.2
    done
    [ -f "$dir/ready" ] || { echo "the sandbox did not start in 2 minutes; see $dir/sandbox.log" >&2; exit 1; }
    # shellcheck disable=SC1091
    source "$dir/sandbox.env"
}
