#!/usr/bin/env bash
# make krew: the archive the krew manifest points to, the manifest with its sha256, and a check that
# the archive, installed as krew installs it (a symlink to bin/kubectl-dbsnap), runs.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*<version>\(.*\)<\/version>.*/\1/p' pom.xml | head -n 1)
out=target/krew
stage=$out/stage
rm -rf "$out" && mkdir -p "$stage/bin" "$stage/lib/dbsnap/lib"
install -m 0755 cli/src/main/sh/dbsnap "$stage/bin/kubectl-dbsnap"
install -m 0644 cli/target/dbsnap.jar "$stage/lib/dbsnap/dbsnap.jar"
install -m 0644 cli/target/lib/*.jar "$stage/lib/dbsnap/lib/"
archive=$out/dbsnap-$version.tar.gz
# reproducible: sorted names, fixed owner and times
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' -C "$stage" -cf - bin lib \
    | gzip -n > "$archive"
sha=$(sha256sum "$archive" | cut -d' ' -f1)
sed -e "s/@VERSION@/$version/g" -e "s/@SHA256@/$sha/" plugins/dbsnap.yaml > "$out/dbsnap.yaml"

# installed as krew does: unpacked elsewhere, run through a symlink named kubectl-dbsnap
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
mkdir -p "$check/store" "$check/bin"
tar -xzf "$archive" -C "$check/store"
ln -s "$check/store/bin/kubectl-dbsnap" "$check/bin/kubectl-dbsnap"
"$check/bin/kubectl-dbsnap" --version | grep -q "dbsnap $version" || { echo "krew: the archive does not run" >&2; exit 1; }
grep -q "sha256: \"$sha\"" "$out/dbsnap.yaml"
echo "wrote $archive ($(du -h "$archive" | cut -f1), sha256 $sha) and $out/dbsnap.yaml"
