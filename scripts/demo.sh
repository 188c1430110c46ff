#!/usr/bin/env bash
# The README's demo command: installs the Debian packages, builds the booth and
# starts it in demo mode — an HQ on loopback with this booth enrolled, a seeded
# booth store, the demo lists and officers, and a simulated document reader on a
# pty pair with a scripted queue of travellers (Alt+N presents the next one).
# Extra arguments go to the booth (e.g. --lang ru). Without a display it runs the
# demo test instead (demo_test.go: the same booth, driven in-process, no display
# needed) and saves its screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
export LANG="${LANG:-en_US.UTF-8}"
case "$LANG" in C|POSIX) export LANG=en_US.UTF-8 ;; esac

mkdir -p bin
echo "demo: building the booth (the first Fyne build takes several minutes)…"
go build -tags migrated_fynedo -o bin/chekara .

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec bin/chekara --demo "$@"
fi

shots="$(mktemp -d /tmp/chekara-demo-screens-XXXXXX)"
echo "demo: no display here; the demo test works the scripted queue in-process, screenshots in $shots"
CHEKARA_SCREENSHOTS="$shots" go test -tags migrated_fynedo -count=1 -run '^TestDemo$' -v . | grep -E '^(demo:|--- |ok|FAIL)'
ls "$shots"
