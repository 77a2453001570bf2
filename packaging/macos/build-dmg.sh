#!/usr/bin/env bash
# The macOS disk image, from the .app that the same pyinstaller.spec builds on a Mac:
#     python -m PyInstaller --noconfirm pyinstaller.spec     -> dist/Desktop Search.app
#     packaging/macos/build-dmg.sh                           -> dist/desktop-search-<version>-<arch>.dmg
# Built by .github/workflows/package.yml on a macOS runner; it cannot be built or tried on the
# Linux machines this project is developed on. The app is signed ad hoc only (PyInstaller's
# default), not with a Developer ID nor notarised: Gatekeeper asks the user to open it with
# right-click > Open the first time. The index lives in ~/Library/Application Support/desktop-search.
set -euo pipefail
cd "$(dirname "$0")/../.."
APP="dist/Desktop Search.app"
[ -d "$APP" ] || { echo "no $APP: run PyInstaller on macOS first" >&2; exit 1; }
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
DMG="dist/desktop-search-$VERSION-$(uname -m).dmg"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"  # drag the app onto it to install
rm -f "$DMG"
hdiutil create -volname "Desktop Search $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
echo "$DMG: $(du -h "$DMG" | cut -f1)"
