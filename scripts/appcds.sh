#!/usr/bin/env bash
# appcds.sh JAR [CLASSLIST]: writes JAR's class-data archive (JAR with .jsa) and its stamp (the JDK it is for), and the
# training's class list to CLASSLIST when given (scripts/image.sh dumps the agent image's archive from it), so that every
# dbsnap start maps the JDK's, picocli's, Jackson's, the AWS SDK's and its own classes instead of loading them.
# It is a static archive (-Xshare:dump from the classes training runs list), not a dynamic one: only a static archive
# takes picocli, whose classes are Java 5 class files. The training runs touch no network (an S3 store on a closed
# loopback port fails fast) and no data. An archive from another JDK or class path is ignored by the JVM.
# The agent (each snapshot and restore Job) trains against a stub API server on loopback that knows one pod and
# refuses exec: its JVM then maps the Kubernetes client, Vert.x and the Pod model instead of loading them (about
# half a second of every Job's start).
set -u
jar=$(readlink -f "$1")
archive="${jar%.jar}.jsa"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
rm -f "$archive" "$archive.stamp"
# the training's one S3 request goes to a closed loopback port, never through a proxy
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
# the launcher uses the archive only with the JDK named here (the JVM refuses an archive of another JDK)
java=$(readlink -f "$(command -v java)")
runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "${java%/bin/java}/release" 2>/dev/null)
train() {
    AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
        java -XX:+UseSerialGC -Xshare:off -XX:DumpLoadedClassList="$work/$1.classes" -jar "$jar" "${@:2}" >/dev/null 2>&1 || true
}
train version --version
train help --help
train s3 list --store s3://training/x --s3-endpoint http://127.0.0.1:9
mkdir -p "$work/store"
train empty list --store "$work/store"
# a snapshot to list and verify, so that reading manifests (Jackson) is in the archive too; needs sqlite3
if command -v sqlite3 >/dev/null; then
    sqlite3 "$work/training.db" 'CREATE TABLE t (x); INSERT INTO t VALUES (1);'
    train create create "sqlite://$work/training.db" --store "$work/store"
    train list list --store "$work/store"
    train json list --store "$work/store" --json
    train verify verify --store "$work/store" --all
fi
# the agent as a Job runs it, up to its first exec; needs python3 for the stub API server
if command -v python3 >/dev/null; then
    python3 - "$work/api-port" >/dev/null 2>&1 <<'STUB' &
import http.server, json, sys
POD = {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "db-0", "namespace": "training", "uid": "00000000-0000-0000-0000-000000000000",
                    "labels": {"app.kubernetes.io/name": "db", "role": "primary"}, "annotations": {"a": "b"},
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db", "uid": "1",
                                         "controller": True}], "creationTimestamp": "2026-01-01T00:00:00Z"},
       "spec": {"containers": [{"name": "postgres", "image": "postgres:16", "ports": [{"containerPort": 5432}],
                                "env": [{"name": "PGDATA", "value": "/var/lib/postgresql/data"},
                                        {"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "p"}}}],
                                "resources": {"requests": {"cpu": "1", "memory": "1Gi"}},
                                "volumeMounts": [{"name": "data", "mountPath": "/var/lib/postgresql/data"}],
                                "readinessProbe": {"exec": {"command": ["pg_isready"]}, "periodSeconds": 5},
                                "securityContext": {"runAsUser": 999}}],
                "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data-db-0"}},
                            {"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}],
                "nodeName": "node-1", "serviceAccountName": "default",
                "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}]},
       "status": {"phase": "Running", "podIP": "10.0.0.1", "startTime": "2026-01-01T00:00:00Z",
                  "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}],
                  "containerStatuses": [{"name": "postgres", "ready": True, "started": True, "restartCount": 0,
                                         "image": "postgres:16", "imageID": "x", "containerID": "containerd://x",
                                         "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}}]}}
class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        found = self.path.split("?")[0] == "/api/v1/namespaces/training/pods/db-0"
        body = json.dumps(POD if found else {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                            "reason": "NotFound", "code": 404}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_POST = do_PATCH = do_PUT = do_GET
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Api)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.timeout = 60
server.serve_forever()
STUB
    stub=$!
    for _ in $(seq 50); do [ -s "$work/api-port" ] && break; sleep 0.1; done
    if [ -s "$work/api-port" ]; then
        agent() {
            KUBERNETES_MASTER="http://127.0.0.1:$(cat "$work/api-port")" KUBERNETES_AUTH_TOKEN=training \
                KUBERNETES_AUTH_TRYKUBECONFIG=false KUBERNETES_AUTH_TRYSERVICEACCOUNT=false KUBERNETES_NAMESPACE=training \
                DBSNAP_DB_PASSWORD=training train "$@"
        }
        # into a local store it gets as far as the version probe's exec; into S3 (a closed port) as far as the store
        agent agent agent snapshot --namespace=training --pod=db-0 --engine=postgresql --database=training \
            --name=training --store "$work/agent-store"
        agent agent-s3 agent snapshot --namespace=training --pod=db-0 --engine=postgresql --database=training \
            --name=training --store s3://training/x --s3-endpoint http://127.0.0.1:9 --s3-path-style true
    fi
    kill "$stub" 2>/dev/null
    wait "$stub" 2>/dev/null
fi
cat "$work"/*.classes | sort -u >"$work/all.classes"
[ -n "${2:-}" ] && cp "$work/all.classes" "$2"
java -XX:+UseSerialGC -Xshare:dump -XX:SharedClassListFile="$work/all.classes" -XX:SharedArchiveFile="$archive" \
    -cp "$jar" >"$work/dump.log" 2>&1 || true
if [ -f "$archive" ] && [ -n "$runtime" ]; then
    printf '%s %s\n' "$java" "$runtime" >"$archive.stamp"
else
    rm -f "$archive"
    echo "note: no class-data archive was written; dbsnap works, it only starts slower" >&2
    tail -n 5 "$work/dump.log" >&2
fi
