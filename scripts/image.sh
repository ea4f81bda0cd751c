#!/usr/bin/env bash
# image.sh: the operator's and the agent's images, built without a container engine or a registry.
#
# The base is made from Debian's packages (mmdebstrap: bookworm minbase, the Java 17 runtime, CA
# certificates, a user dbsnap with UID 65532; no documentation, no apt lists; the newest packages of the
# day, so two builds on different days differ), the layers and config are
# written by umoci, and each image is saved as an OCI archive that skopeo pushes:
#   skopeo copy oci-archive:target/image/dbsnap-operator-VERSION.oci.tar docker://REGISTRY/dbsnap-operator:VERSION
# Both images share the base layer: the operator adds operator/target/quarkus-app at /app, the agent adds
# the dbsnap command line as `make install` lays it out under /usr/local. Needs root (or fakeroot) for
# the base's file owners, and `make build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/dbsnap/Chart.yaml)
out=target/image
for tool in mmdebstrap umoci skopeo; do
    command -v "$tool" >/dev/null || { echo "make image needs $tool: apt-get install -y mmdebstrap umoci skopeo" >&2; exit 1; }
done
[ -f operator/target/quarkus-app/quarkus-run.jar ] && [ -f cli/target/dbsnap.jar ] \
    || { echo "build first: make build" >&2; exit 1; }
mkdir -p "$out"

# the base, rebuilt only when its recipe changes (it takes a minute and 350 MB of packages)
base_recipe="bookworm minbase openjdk-17-jre-headless ca-certificates uid 65532 v1"
if [ ! -f "$out/base-rootfs.tar" ] || [ "$(cat "$out/base-recipe" 2>/dev/null)" != "$base_recipe" ]; then
    echo "building the base from Debian's packages (mmdebstrap)"
    mmdebstrap --quiet --format=tar --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --customize-hook='rm -rf "$1"/usr/share/man/* "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
        --customize-hook='echo "dbsnap:x:65532:65532:dbsnap:/home/dbsnap:/usr/sbin/nologin" >> "$1"/etc/passwd;
            echo "dbsnap:x:65532:" >> "$1"/etc/group; mkdir -p "$1"/home/dbsnap; chown 65532:65532 "$1"/home/dbsnap' \
        bookworm "$out/base-rootfs.tar.part" http://deb.debian.org/debian
    mv "$out/base-rootfs.tar.part" "$out/base-rootfs.tar"
    echo "$base_recipe" > "$out/base-recipe"
fi

# what each image adds, laid out as in the image, world-readable, owned by root
stage="$out/stage"
rm -rf "$stage" && mkdir -p "$stage/operator" "$stage/agent/usr/local"
cp -r operator/target/quarkus-app "$stage/operator/app"
make --no-print-directory install-files PREFIX="$(pwd)/$stage/agent/usr/local" >/dev/null
# the class-data archive was trained on this machine's JDK; the image's JDK would ignore it
rm -f "$stage/agent/usr/local/lib/dbsnap/dbsnap.jsa" "$stage/agent/usr/local/lib/dbsnap/dbsnap.jsa.stamp"
# so the image's own JDK dumps one, in the image's root, from the classes the build's training runs listed: each
# Job's agent then maps them instead of loading them (about a second of its start). Needs root (a mount namespace)
lib=/usr/local/lib/dbsnap
if [ -s cli/target/dbsnap.classlist ] && [ "$(id -u)" = 0 ]; then
    # whole seconds: the layer's tar keeps no fraction, and the JVM refuses an archive whose jars' times moved
    stamp=$(date +%s)
    find "$stage/agent/usr/local" -exec touch -h -d "@$stamp" {} +
    root="$out/dump-root"
    rm -rf "$root" && mkdir -p "$root"
    tar -xf "$out/base-rootfs.tar" -C "$root" --exclude='./dev/*'
    cp -a "$stage/agent/usr/local/." "$root/usr/local/"
    cp cli/target/dbsnap.classlist "$root/tmp/dbsnap.classlist"
    # the java launcher finds its libraries through /proc/self/exe
    unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" && chroot "$1" /usr/bin/java -XX:+UseSerialGC -Xshare:dump \
        -XX:SharedClassListFile=/tmp/dbsnap.classlist -XX:SharedArchiveFile="$2/dbsnap.jsa" -cp "$2/dbsnap.jar"' \
        sh "$root" "$lib" >"$out/agent-archive.log" 2>&1 || true
    java=$(chroot "$root" readlink -f /usr/bin/java)
    runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$root${java%/bin/java}/release")
    if [ -f "$root$lib/dbsnap.jsa" ] && [ -n "$runtime" ]; then
        cp "$root$lib/dbsnap.jsa" "$stage/agent$lib/dbsnap.jsa"
        printf '%s %s\n' "$java" "$runtime" > "$stage/agent$lib/dbsnap.jsa.stamp"
        # newer than the jar, as the launcher wants it
        touch -d "@$((stamp + 1))" "$stage/agent$lib/dbsnap.jsa" "$stage/agent$lib/dbsnap.jsa.stamp"
    else
        echo "note: the agent image has no class-data archive (see $out/agent-archive.log); its Jobs start slower" >&2
    fi
    rm -rf "$root"
fi
chmod -R a+rX "$stage"

rm -rf "$out/oci"
umoci init --layout "$out/oci"
umoci new --image "$out/oci:base"
umoci raw add-layer --image "$out/oci:base" "$out/base-rootfs.tar"
arch=$(dpkg --print-architecture)
common=(--config.user 65532:65532 --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        --config.env "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$arch"
        --config.label "org.opencontainers.image.version=$version"
        --config.label "org.opencontainers.image.source=https://github.com/dbsnap/dbsnap"
        --config.label "org.opencontainers.image.licenses=Apache-2.0")

umoci tag --image "$out/oci:base" operator
umoci insert --image "$out/oci:operator" "$stage/operator/app" /app
umoci config --image "$out/oci:operator" "${common[@]}" --config.workingdir /app \
    --config.label "org.opencontainers.image.title=dbsnap-operator" \
    --config.entrypoint /usr/bin/java --config.entrypoint -XX:MaxRAMPercentage=70 \
    --config.entrypoint -XX:+ExitOnOutOfMemoryError \
    --config.entrypoint -jar --config.entrypoint /app/quarkus-run.jar --config.exposedports 8080/tcp

umoci tag --image "$out/oci:base" agent
umoci insert --image "$out/oci:agent" "$stage/agent/usr/local" /usr/local
# the heap follows the Job's memory limit (jobs.resources), not the launcher's laptop default
umoci config --image "$out/oci:agent" "${common[@]}" --config.workingdir /tmp \
    --config.env "DBSNAP_JAVA_OPTS=-XX:+UseSerialGC -Xms16m -XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError" \
    --config.label "org.opencontainers.image.title=dbsnap" --config.entrypoint /usr/local/bin/dbsnap

umoci gc --layout "$out/oci"
for image in operator agent; do
    name=$([ "$image" = operator ] && echo dbsnap-operator || echo dbsnap)
    rm -f "$out/$name-$version.oci.tar"
    skopeo copy --quiet "oci:$out/oci:$image" "oci-archive:$out/$name-$version.oci.tar:ghcr.io/dbsnap/$name:$version"
    echo "wrote $out/$name-$version.oci.tar ($(du -m "$out/$name-$version.oci.tar" | cut -f1) MB)"
done
