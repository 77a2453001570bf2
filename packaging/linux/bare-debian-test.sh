#!/usr/bin/env bash
# Are the .deb's Depends enough on a bare system? As root, by hand (about 5 minutes, 1.2 GB in /tmp):
#     packaging/linux/bare-debian-test.sh [DEB]
# Builds a minimal Debian 12 (debootstrap --variant=minbase), installs the .deb there with
# --no-install-recommends, checks that every bundled library resolves, indexes and searches a few
# files with no network, and opens the window on an Xvfb screen of this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=desktop-search
DEB=${1:-$(ls -t dist/${NAME}_*.deb 2>/dev/null | head -1 || true)}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -f "$DEB" ] || { echo "no .deb: run make package first" >&2; exit 1; }
for tool in debootstrap Xvfb:xvfb xdotool import:imagemagick; do
    command -v "${tool%%:*}" >/dev/null || apt-get install -y -q "${tool##*:}" >/dev/null
done

BARE=$(mktemp -d /tmp/bare-debian.XXXXXX)
XVFB_PID=""
cleanup() {
    [ -z "$XVFB_PID" ] || kill "$XVFB_PID" 2>/dev/null || true
    for mount in tmp/.X11-unix dev/shm dev proc; do
        mountpoint -q "$BARE/$mount" && umount "$BARE/$mount"
    done
    rm -rf --one-file-system "$BARE"
}
trap cleanup EXIT
in_bare() { chroot "$BARE" env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 ${DISPLAY:+DISPLAY=$DISPLAY} "$@"; }

echo "== debootstrap --variant=minbase bookworm"
debootstrap --variant=minbase bookworm "$BARE" http://deb.debian.org/debian > "$BARE.log" 2>&1 \
    || { tail "$BARE.log"; exit 1; }
mount -t proc proc "$BARE/proc"
mount --bind /dev "$BARE/dev"
mount --bind /dev/shm "$BARE/dev/shm"  # the file reader's process uses POSIX semaphores
cp /etc/resolv.conf "$BARE/etc/resolv.conf"
echo "bare system: $(in_bare dpkg-query -f '.\n' -W | wc -l) packages"

echo "== apt-get install --no-install-recommends $(basename "$DEB")"
cp "$DEB" "$BARE/tmp/"
in_bare apt-get update -q > "$BARE.log" 2>&1
in_bare apt-get install -y -q --no-install-recommends "/tmp/$(basename "$DEB")" > "$BARE.log" 2>&1 \
    || { tail -20 "$BARE.log"; exit 1; }
echo "installed with $(grep -c '^Setting up' "$BARE.log") packages; now $(in_bare dpkg-query -f '.\n' -W | wc -l)"
missing=$(in_bare sh -c 'find /opt/'$NAME' -name "*.so*" -type f | while read -r f; do
    LD_LIBRARY_PATH=/opt/'$NAME'/_internal ldd "$f" | grep "not found" | sed "s|^|$f: |"; done' | sort -u)
[ -z "$missing" ] || { echo "$missing"; echo "FAIL: libraries missing on a bare system"; exit 1; }
echo "ldd: every bundled library resolves"

echo "== index + search, no network"
mkdir -p "$BARE/tmp/docs"
cp /work/shared/corpus/text/rust-book/ch04*.md /work/shared/corpus/pdf/good/samplefiles__minimal-document.pdf \
   /work/shared/corpus/docx/good/pandoc__ns0-reference.docx "$BARE/tmp/docs/"
in_bare unshare -n $NAME index /tmp/docs 2>/dev/null
in_bare unshare -n $NAME search --limit 1 "what is a string slice" | head -1

echo "== the window"
display=99
while [ -e /tmp/.X11-unix/X$display ] || [ -e /tmp/.X$display-lock ]; do display=$((display + 1)); done
Xvfb :$display -screen 0 1280x800x24 -nolisten tcp > /dev/null 2>&1 &
XVFB_PID=$!
mkdir -p "$BARE/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$BARE/tmp/.X11-unix"
export DISPLAY=:$display
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
start=$(date +%s%N)
in_bare setsid $NAME > "$BARE.log" 2>&1 &
pid=$!
until xdotool search --onlyvisible --name "^Desktop Search" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$BARE.log"; echo "FAIL: no window"; exit 1; }
    sleep 0.05  # polling faster floods a busy Xvfb: the app then cannot connect
done
echo "window visible after $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 2
mkdir -p build/package-test && import -window root build/package-test/bare-window.png
[ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] && kill -TERM -- "-$pid" || kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
rm -f "$BARE.log"
echo "screenshot: build/package-test/bare-window.png"
echo "bare-debian-test: OK"
