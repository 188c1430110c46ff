#!/usr/bin/env bash
# Builds what an administrator installs, into dist/:
#   chekara_VERSION_amd64.deb     the booth (desktop entry, icon, udev rules for serial
#                                 readers, its Debian dependencies)
#   chekara-hq_VERSION_amd64.deb  HQ (hq and bmis, a hardened systemd unit, /etc/chekara/hq.conf)
#   chekara-linux-amd64.tar.xz    the booth as `fyne package` bundles it
#   chekara-windows-amd64.exe     the booth for Windows (MinGW cross-build; see docs/windows.md)
# Usage: scripts/package.sh [deb|bundle|windows|all] (default all). Needs scripts/deps.sh's
# packages, and gcc-mingw-w64-x86-64-posix for windows (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
what="${1:-all}"
export VERSION="${VERSION:-$(sed -n 's/^ *Version = "\(.*\)"/\1/p' FyneApp.toml)}"
export ARCH=amd64
mkdir -p dist

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

deb() {
  echo "package: building the booth, hq and bmis…"
  go build -tags migrated_fynedo -ldflags "-s -w" -o dist/chekara .
  CGO_ENABLED=0 go build -ldflags "-s -w" -o dist/hq ./cmd/hq
  # bmis reads chips (PC/SC) and pages (Tesseract) as the booth does: cgo, in the booth package.
  go build -ldflags "-s -w" -o dist/bmis ./cmd/bmis
  go tool nfpm package --config packaging/booth/nfpm.yaml --packager deb --target dist/
  go tool nfpm package --config packaging/hq/nfpm.yaml --packager deb --target dist/
}

bundle() {
  echo "package: fyne package (Linux bundle)…"
  # fyne package builds with the FyneApp.toml metadata and the migrated fyne.Do.
  (go tool fyne package --os linux --release --name chekara && mv -f chekara.tar.xz dist/chekara-linux-amd64.tar.xz)
}

windows() {
  if ! command -v x86_64-w64-mingw32-gcc-posix >/dev/null; then
    echo "package: installing gcc-mingw-w64-x86-64-posix"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64-posix
  fi
  echo "package: cross-building the booth for Windows (MinGW; the first build takes several minutes)…"
  GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc-posix CXX=x86_64-w64-mingw32-g++-posix \
    go build -tags migrated_fynedo -ldflags "-s -w -H windowsgui" -o dist/chekara-windows-amd64.exe .
}

case "$what" in
  deb) deb ;;
  bundle) bundle ;;
  windows) windows ;;
  all) deb; bundle; windows ;;
  *) echo "usage: scripts/package.sh [deb|bundle|windows|all]" >&2; exit 2 ;;
esac
ls -l dist/
