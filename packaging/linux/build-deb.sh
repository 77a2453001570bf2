#!/usr/bin/env bash
# The .deb from the one-folder app PyInstaller built (make package runs both):
#     packaging/linux/build-deb.sh [APP_DIR [OUT_DIR]]
# Installs the app in /opt/desktop-search, the command as /usr/bin/desktop-search, a menu entry,
# icons and AppStream metainfo. Shared libraries come from Debian: every library the bundle
# links to must belong to a package in DEPENDS below, or the build fails and says which.
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=packaging/linux
APP_DIR=${1:-dist/desktop-search}
OUT_DIR=${2:-dist}
PYTHON=${PYTHON:-python3}

# Every package whose libraries the bundle links to (checked below with ldd: a missing one fails the
# build), and fonts for fontconfig. Found by that check on Debian 12 with a pyenv Python; Debian's
# own python3.11 links libexpat1 too (pyexpat).
DEPENDS=(
    libc6 libgcc-s1 libstdc++6 zlib1g libbz2-1.0 liblzma5 libzstd1 libffi8 libssl3 libsqlite3-0
    libuuid1 libreadline8 libexpat1
    libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 libbrotli1 libgl1 libegl1
    libx11-6 libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0
    libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
    libxcb-xfixes0 libxcb-xkb1
    libwayland-client0 libwayland-cursor0 libgssapi-krb5-2
    fonts-dejavu-core
    tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd antiword catdoc  # OCR; legacy .doc, .xls and .ppt (run as programs)
)
RECOMMENDS="xdg-utils"  # opening a result: Qt hands the file to xdg-open

read -r NAME VERSION < <("$PYTHON" -c '
import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print(p["name"], p["version"])')
ARCH=$(dpkg --print-architecture)
DEB="$OUT_DIR/${NAME}_${VERSION}_${ARCH}.deb"
ROOT=build/deb/root
PREFIX=/opt/$NAME
[ -x "$APP_DIR/$NAME" ] || { echo "no $APP_DIR/$NAME: run PyInstaller first (make package)" >&2; exit 1; }

rm -rf build/deb && mkdir -p "$ROOT/DEBIAN" "$ROOT$PREFIX" "$ROOT/usr/bin" "$OUT_DIR"
cp -a "$APP_DIR/." "$ROOT$PREFIX/"
# Debug sections only (a pyenv libpython carries 18 MB of them); symbol tables stay untouched.
find "$ROOT$PREFIX" -type f -name '*.so*' -print0 | while IFS= read -r -d '' lib; do
    if readelf -S "$lib" 2>/dev/null | grep -q '\.debug_info'; then strip --strip-debug "$lib"; fi
done
# The bootloader finds its _internal folder through /proc/self/exe, so a symlink is enough.
ln -s "$PREFIX/$NAME" "$ROOT/usr/bin/$NAME"

install -Dm644 "$HERE/$NAME.desktop" "$ROOT/usr/share/applications/$NAME.desktop"
RELEASE_DATE=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
mkdir -p "$ROOT/usr/share/metainfo"
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$RELEASE_DATE/" "$HERE/$NAME.metainfo.xml" \
    > "$ROOT/usr/share/metainfo/$NAME.metainfo.xml"
ICONS=resources/icons
install -Dm644 "$ICONS/$NAME.svg" "$ROOT/usr/share/icons/hicolor/scalable/apps/$NAME.svg"
for png in "$ICONS/$NAME"-*.png; do
    size=${png##*-}; size=${size%.png}
    install -Dm644 "$png" "$ROOT/usr/share/icons/hicolor/${size}x${size}/apps/$NAME.png"
done
install -Dm644 "$HERE/copyright" "$ROOT/usr/share/doc/$NAME/copyright"

# Every ELF file's direct needs (NEEDED), resolved the way the bootloader does (LD_LIBRARY_PATH =
# _internal), must be either in the bundle or in a package of DEPENDS: installed first, if missing.
"$HERE/apt-ensure.sh" "${DEPENDS[@]}"
APP=$(realpath "$ROOT$PREFIX")
LIBPATH="$APP/_internal:$APP/_internal/PySide6/Qt/lib"
declare -A OWNER=() MISSING=()
glibc=2.17
while IFS= read -r -d '' file; do
    head -c4 "$file" | grep -q $'\x7fELF' || continue
    needed=$(readelf -d "$file" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    [ -n "$needed" ] || continue
    resolved=$(LD_LIBRARY_PATH=$LIBPATH ldd "$file" 2>/dev/null || true)
    for soname in $needed; do
        path=$(awk -v s="$soname" '$1 == s && $2 == "=>" {print $3; exit}' <<<"$resolved")
        case "$path" in
            "$APP"/*) continue ;;
            ""|"not") [[ $soname == ld-linux* ]] || MISSING[$soname]+=" ${file#"$APP"/}"; continue ;;
        esac
        [ -z "${OWNER[$soname]:-}" ] || continue
        real=$(readlink -f "$path")
        pkg=""
        for candidate in "$path" "$real" "${path/#\/usr\/lib\//\/lib\/}" "${real/#\/usr\/lib\//\/lib\/}"; do
            pkg=$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 || true)
            [ -z "$pkg" ] || break
        done
        OWNER[$soname]=${pkg:-"?$path"}
    done
    v=$(objdump -T "$file" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1 || true)
    [ -z "$v" ] || glibc=$(printf '%s\n%s\n' "$glibc" "$v" | sort -V | tail -1)
done < <(find "$APP" -type f -print0)

status=0
if [ ${#MISSING[@]} -gt 0 ]; then
    for soname in "${!MISSING[@]}"; do echo "not found on this machine: $soname (for${MISSING[$soname]:0:120})" >&2; done
    echo "no package of DEPENDS provides these: add the ones that do to DEPENDS ($0)" >&2
    status=1
fi
for soname in "${!OWNER[@]}"; do
    pkg=${OWNER[$soname]}
    if [[ " ${DEPENDS[*]} " != *" $pkg "* ]]; then
        echo "the bundle links $soname from $pkg, which is not in DEPENDS ($0)" >&2
        status=1
    fi
done
[ $status -eq 0 ] || exit $status
linked=" $(printf '%s\n' "${OWNER[@]}" | sort -u | tr '\n' ' ')"
echo "linked system packages:$linked"
for pkg in "${DEPENDS[@]}"; do
    [[ $linked == *" $pkg "* ]] || echo "note: nothing in the bundle links $pkg (in DEPENDS for Qt, fonts or another Python build)"
done
echo "highest glibc symbol version: $glibc"

depends="libc6 (>= $glibc)"
for pkg in "${DEPENDS[@]}"; do [ "$pkg" = libc6 ] || depends+=", $pkg"; done
cat > "$ROOT/DEBIAN/control" <<EOF
Package: $NAME
Version: $VERSION
Architecture: $ARCH
Maintainer: Desktop Search developers <desktop-search@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
Depends: $depends
Recommends: $RECOMMENDS
Section: utils
Priority: optional
Description: find your files by meaning, offline
 Desktop Search indexes folders of PDF, Word (.docx) and plain-text files and
 searches them by meaning (a sentence model run on this computer) and by exact
 words. Nothing leaves the machine. Includes the desktop-search command line.
EOF

# zstd level 9: about 25 s here and 4 % smaller than level 3 (the model's floats barely compress).
dpkg-deb --root-owner-group -Zzstd -z"${ZSTD_LEVEL:-9}" --build "$ROOT" "$DEB" >/dev/null
echo "$DEB: $(du -h "$DEB" | cut -f1), installed size $(grep Installed-Size "$ROOT/DEBIAN/control" | cut -d' ' -f2) KiB"
