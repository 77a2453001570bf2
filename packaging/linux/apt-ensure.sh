#!/usr/bin/env bash
# Installs those of the Debian packages named that are missing, when this user can (root, or sudo),
# and otherwise fails saying which to install:
#     packaging/linux/apt-ensure.sh PKG...
# make package needs binutils for PyInstaller, and build-deb.sh needs the app's Depends on the build
# machine to resolve what the bundle links to.
set -euo pipefail

missing=()
for pkg in "$@"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] || missing+=("$pkg")
done
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    as_root=(sudo)  # without a password, or asking for it in a terminal
else
    echo "missing packages: ${missing[*]}" >&2
    echo "install them first: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
echo "installing the missing packages: ${missing[*]}" >&2
install=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}")
# A fresh machine may have no package lists yet, or stale ones.
"${install[@]}" || { "${as_root[@]}" apt-get update -q && "${install[@]}"; }
