#!/usr/bin/env bash
# appcds.sh JAR: writes JAR's class-data archive (JAR with .jsa) and its stamp (the JDK it is for), so that every
# dbsnap start maps the JDK's, picocli's, Jackson's, the AWS SDK's and its own classes instead of loading them.
# It is a static archive (-Xshare:dump from the classes training runs list), not a dynamic one: only a static archive
# takes picocli, whose classes are Java 5 class files. The training runs touch no network (an S3 store on a closed
# loopback port fails fast) and no data. An archive from another JDK or class path is ignored by the JVM.
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
cat "$work"/*.classes | sort -u >"$work/all.classes"
java -XX:+UseSerialGC -Xshare:dump -XX:SharedClassListFile="$work/all.classes" -XX:SharedArchiveFile="$archive" \
    -cp "$jar" >"$work/dump.log" 2>&1 || true
if [ -f "$archive" ] && [ -n "$runtime" ]; then
    printf '%s %s\n' "$java" "$runtime" >"$archive.stamp"
else
    rm -f "$archive"
    echo "note: no class-data archive was written; dbsnap works, it only starts slower" >&2
    tail -n 5 "$work/dump.log" >&2
fi
