#!/bin/sh
# image-run.sh ROOTFS COMMAND...: runs COMMAND in an unpacked image as a container runtime would, without
# one: its own mount namespace, the image's root filesystem read-only, a fresh tmpfs on /tmp (the chart's
# and the Jobs' emptyDir), the host's /proc and /dev, as the image's user 65532. The network is the
# host's, so loopback servers (the sandbox's API, S3Proxy) are reachable. Needs root.
set -eu
root=$(readlink -f "$1")
shift
exec unshare --mount -- sh -c '
    set -e
    r=$1; shift
    mount --bind "$r" "$r"
    mount -o remount,bind,ro "$r"
    mount -t tmpfs -o mode=1777,size=256m tmpfs "$r/tmp"
    mount --rbind /proc "$r/proc"
    mount --rbind /dev "$r/dev"
    if [ -n "${DBSNAP_TERMINATION_LOG:-}" ]; then
        # the sandbox reads the result where a kubelet would: a file of its own, shown inside
        touch "$DBSNAP_TERMINATION_LOG" "$r/tmp/termination-log"
        chown 65532:65532 "$DBSNAP_TERMINATION_LOG"
        mount --bind "$DBSNAP_TERMINATION_LOG" "$r/tmp/termination-log"
        export DBSNAP_TERMINATION_LOG=/tmp/termination-log
    fi
    exec chroot --userspec=65532:65532 "$r" "$@"' sh "$root" "$@"
