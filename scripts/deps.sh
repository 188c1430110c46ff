#!/usr/bin/env bash
# Installs the Debian packages Chekara builds, tests and runs with. Idempotent.
# Runs apt-get as root, through sudo otherwise.
set -euo pipefail

packages=(
  # Fyne (cgo, OpenGL, X11 and Wayland headers)
  gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev
  # OCR: Tesseract with its English data, and the MRZ font
  libtesseract-dev libleptonica-dev tesseract-ocr-eng fonts-ocr-b g++
  # GUI tests without a display, pty pairs from the shell; xwd for the booth's screenshots
  xvfb socat x11-apps
  # HQ's production store, tested in CI
  postgresql
  # PDF forms are checked by reading them back as text
  poppler-utils
  # the HQ console's tests drive a real browser
  chromium
  # ePassport chips over PC/SC; the simulated chip sits in vsmartcard's virtual reader
  libpcsclite-dev pcscd vsmartcard-vpcd
  # JPEG 2000 chip faces are decoded by OpenJPEG (devices/chip/jp2)
  libopenjp2-7-dev
)

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Go: these machines have it in /usr/local/go; Debian's own golang is too old.
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null; then
  echo "deps: Go 1.26 or newer is required (https://go.dev/dl/), e.g. in /usr/local/go" >&2
  exit 1
fi
