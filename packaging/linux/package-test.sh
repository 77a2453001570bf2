#!/usr/bin/env bash
# make package-test: the .deb as a user gets it. As root, on Debian 12:
#   install it with apt-get; index and search a folder of the shared corpus with the INSTALLED
#   command, with no network and no project virtualenv (env -i, PATH=/usr/bin:/bin); check the
#   index lives in ~/.local/share/desktop-search and nothing is written in /opt; open the window
#   from the menu entry's Exec line under Xvfb and time it to a visible window; purge; check
#   nothing is left in /opt or /usr.
# Needs xvfb, xdotool, imagemagick (installed if missing), desktop-file-utils and appstream (used if present).
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=desktop-search
CORPUS=${CORPUS:-/work/shared/corpus}
QUERY=${QUERY:-how do references and borrowing work}
OUT=build/package-test
[ "$(id -u)" = 0 ] || { echo "package-test installs a .deb: run it as root" >&2; exit 1; }
DEB=$(ls -t dist/${NAME}_*.deb 2>/dev/null | head -1 || true)
[ -n "$DEB" ] || { echo "no dist/${NAME}_*.deb: run make package first" >&2; exit 1; }
missing=""
for tool in Xvfb:xvfb xdotool:xdotool import:imagemagick; do
    command -v "${tool%%:*}" >/dev/null || missing+=" ${tool##*:}"
done
[ -z "$missing" ] || apt-get install -y -q $missing >/dev/null

rm -rf "$OUT" && mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/desktop-search-package-test.XXXXXX)
USER_HOME=$WORK/home
mkdir -p "$USER_HOME" "$WORK/docs"
XVFB_PID=""
cleanup() {
    [ -z "$XVFB_PID" ] || kill "$XVFB_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# The user's session: nothing of this shell (no venv, no PYTHONPATH), no network.
as_user() { env -i HOME="$USER_HOME" PATH=/usr/bin:/bin LANG=C.UTF-8 ${DISPLAY:+DISPLAY=$DISPLAY} unshare -n "$@"; }
snapshot() { find /opt /usr -xdev 2>/dev/null | sort; }
# The app and its file-reader child: setsid made the app its own process group, so the group is
# exactly those two; anything else gets only its own pid and its children.
stop_app() {
    local pid=$1
    if [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; then
        kill -TERM -- "-$pid" 2>/dev/null || true
    else
        kill -TERM $(pgrep -P "$pid") "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

step "package $DEB ($(du -h "$DEB" | cut -f1))"
dpkg-deb --field "$DEB" Package Version Installed-Size Depends | fold -s -w 110
dpkg -s "$NAME" >/dev/null 2>&1 && fail "$NAME is already installed; apt-get purge $NAME first"
snapshot > "$OUT/before.txt"

step "apt-get install ./$DEB"
start=$(date +%s.%N)
apt-get install -y -q "./$DEB" > "$OUT/install.log" 2>&1 || { tail -20 "$OUT/install.log"; fail "install"; }
printf 'installed in %.1f s; %s newly installed packages\n' "$(echo "$(date +%s.%N) - $start" | bc)" \
    "$(grep -c '^Setting up' "$OUT/install.log")"
dpkg -L "$NAME" > "$OUT/files.txt"
[ "$(readlink -f /usr/bin/$NAME)" = "/opt/$NAME/$NAME" ] || fail "/usr/bin/$NAME does not lead to /opt/$NAME/$NAME"
for file in /usr/share/applications/$NAME.desktop /usr/share/metainfo/$NAME.metainfo.xml \
            /usr/share/icons/hicolor/scalable/apps/$NAME.svg /usr/share/icons/hicolor/48x48/apps/$NAME.png; do
    [ -f "$file" ] || fail "missing $file"
done
echo "files: $(grep -c . "$OUT/files.txt") paths; $(du -sh /opt/$NAME | cut -f1) in /opt/$NAME"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate /usr/share/applications/$NAME.desktop && echo "desktop entry: valid"
fi
if command -v appstreamcli >/dev/null; then
    # Errors fail; the one warning is the id: not reverse-DNS, as the project has no domain of its own.
    report=$(appstreamcli validate --no-net /usr/share/metainfo/$NAME.metainfo.xml || true)
    grep '^[EW]:' <<<"$report" | sed 's/^/  /' || true
    ! grep -q '^E:' <<<"$report" || fail "metainfo"
    echo "metainfo: no errors"
fi
notfound=$(find /opt/$NAME -name '*.so*' -type f -exec sh -c 'LD_LIBRARY_PATH=/opt/'$NAME'/_internal ldd "$1" 2>/dev/null | grep "not found" | sed "s|^|$1: |"' _ {} \; | sort -u)
[ -z "$notfound" ] || { echo "$notfound"; fail "libraries not found after installing the Depends"; }
echo "ldd: every bundled library resolves"

step "index + search with the installed command (no network, no virtualenv)"
# Markdown, PDF and Word, and two files that must fail cleanly (a zero-byte .docx, an encrypted PDF).
cp "$CORPUS"/text/rust-book/ch0[1-4]*.md "$CORPUS"/pdf/good/debian__refcard-a4.pdf \
   "$CORPUS"/pdf/good/samplefiles__minimal-document.pdf "$CORPUS"/docx/good/mammoth__utf8-bom.docx \
   "$CORPUS"/docx/good/pandoc__ns0-reference.docx "$CORPUS"/docx/broken/derived_zero_bytes.docx \
   "$CORPUS"/pdf/encrypted/pdfjs__bug1782186.pdf "$WORK/docs"
# And what needs the installer's Depends: a scanned PDF (OCR), a legacy .doc, slides, a spreadsheet.
cp "$CORPUS"/pdf/scanned/pymupdf__test_4090.pdf "$CORPUS"/office/legacy/good/poi__60279.doc \
   "$CORPUS"/office/pptx/good/poi__SampleShow.pptx "$CORPUS"/office/xlsx/good/pandoc__basic.xlsx "$WORK/docs"
echo "corpus: $(ls "$WORK/docs" | wc -l) files from $CORPUS (text/rust-book, pdf, docx, scan, doc, pptx, xlsx)"
touch "$WORK/marker"
start=$(date +%s.%N)
as_user $NAME index "$WORK/docs" > "$OUT/index.out" 2> "$OUT/index.err" || { cat "$OUT/index.err"; fail "index"; }
printf 'index: %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
sed 's/^/  /' "$OUT/index.out"
start=$(date +%s.%N)
as_user $NAME search --json --limit 3 "$QUERY" > "$OUT/search.json" 2> "$OUT/search.err" || { cat "$OUT/search.err"; fail "search"; }
printf 'search "%s": %.1f s\n' "$QUERY" "$(echo "$(date +%s.%N) - $start" | bc)"
python3 - "$OUT/search.json" "$WORK/docs" <<'EOF' || fail "search results"
import json, sys
hits = json.load(open(sys.argv[1]))
assert hits, "no results"
assert all(hit["path"].startswith(sys.argv[2]) for hit in hits), hits
for rank, hit in enumerate(hits, 1):
    print(f"  {rank}. {hit['path'].rsplit('/', 1)[-1]}  score {hit['score']}  {hit['snippet'][:70]}...")
EOF

as_user $NAME status --json > "$OUT/status.json"
python3 - "$OUT/status.json" <<'EOF' || fail "file statuses"
import collections, json, sys
files = json.load(open(sys.argv[1]))
by_kind = collections.Counter((f["path"].rsplit(".", 1)[-1], f["status"]) for f in files)
print("  statuses: " + ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(by_kind.items())))
for kind in ("md", "pdf", "docx", "doc", "pptx", "xlsx"):
    assert by_kind[(kind, "indexed")] >= 1, f"no {kind} indexed"
EOF

# The scanned PDF has no text layer: found only if the installed app's OCR read it.
as_user $NAME search --json --limit 3 "Laporan Mutasi Rekening" > "$OUT/scan.json" || fail "search the scan"
python3 - "$OUT/scan.json" <<'EOF' || fail "scanned PDF not found"
import json, sys
hits = json.load(open(sys.argv[1]))
scan = [hit for hit in hits if hit["path"].endswith("pymupdf__test_4090.pdf")]
assert scan and scan[0]["ocr"], hits
print(f"  scanned PDF found by OCR'd words: {scan[0]['where']}, snippet {scan[0]['snippet'][:60]}...")
EOF

step "where the data went"
DATA=$USER_HOME/.local/share/$NAME
[ -f "$DATA/catalog.sqlite3" ] && [ -d "$DATA/chroma" ] || fail "no index in $DATA"
echo "index in ~/.local/share/$NAME: $(du -sh "$DATA" | cut -f1)"
written=$(find /opt/$NAME -newer "$WORK/marker" | head -5)
[ -z "$written" ] || fail "the app wrote next to the program: $written"
echo "nothing written under /opt/$NAME"
ls -A "$USER_HOME" | sed 's/^/  in HOME: /'

step "the window, from the menu entry, under Xvfb"
display=99
while [ -e /tmp/.X11-unix/X$display ] || [ -e /tmp/.X$display-lock ]; do display=$((display + 1)); done
Xvfb :$display -screen 0 1280x800x24 -nolisten tcp > "$OUT/xvfb.log" 2>&1 &
XVFB_PID=$!
export DISPLAY=:$display
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
EXEC=$(sed -n 's/^Exec=//p' /usr/share/applications/$NAME.desktop | sed 's/ %[fFuU]//')
times=()
for run in 1 2 3; do
    start=$(date +%s%N)
    as_user setsid $EXEC > "$OUT/gui-$run.log" 2>&1 &
    pid=$!
    until xdotool search --onlyvisible --name "^Desktop Search" >/dev/null 2>&1; do
        kill -0 "$pid" 2>/dev/null || { cat "$OUT/gui-$run.log"; fail "the app exited before showing a window"; }
        [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 60 ] || fail "no window after 60 s"
        sleep 0.05  # polling faster floods a busy Xvfb: the app then cannot connect
    done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    times+=("$ms")
    title=$(xdotool search --onlyvisible --name "^Desktop Search" getwindowname 2>/dev/null | head -1)
    echo "run $run: window \"$title\" visible after $ms ms"
    if [ "$run" = 1 ]; then sleep 2; import -window root "$OUT/window.png"; fi
    stop_app "$pid"
    sleep 0.5
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "time to a visible window: median ${sorted[1]} ms (runs: ${times[*]} ms); screenshot $OUT/window.png"
kill "$XVFB_PID" 2>/dev/null || true
XVFB_PID=""

step "apt-get purge $NAME"
apt-get purge -y -q "$NAME" > "$OUT/purge.log" 2>&1 || { tail -20 "$OUT/purge.log"; fail "purge"; }
snapshot > "$OUT/after.txt"
[ ! -e /opt/$NAME ] && [ ! -e /usr/bin/$NAME ] || fail "/opt/$NAME or /usr/bin/$NAME is still there"
# New paths that belong to no package are leftovers; the dependencies' files and the caches their
# triggers rebuild (icons, desktop entries) are not.
comm -13 "$OUT/before.txt" "$OUT/after.txt" > "$OUT/new-paths.txt"
leftovers=$(while IFS= read -r path; do
    case "$path" in */icon-theme.cache|*/mimeinfo.cache|*/ld.so.cache|*/__pycache__*) continue ;; esac
    dpkg -S "$path" >/dev/null 2>&1 || echo "$path"
done < "$OUT/new-paths.txt")
ours=$(grep -Fxf "$OUT/files.txt" "$OUT/after.txt" | grep -Fxvf "$OUT/before.txt" || true)
[ -z "$leftovers$ours" ] || { printf '%s\n' $leftovers $ours | head -20; fail "left behind after purge"; }
echo "purged: nothing of $NAME left in /opt or /usr ($(grep -c . "$OUT/new-paths.txt") new paths, all owned by the dependencies)"
echo "the user's index stays in ~/.local/share/$NAME, as with any Debian package"
echo
echo "package-test: OK"
