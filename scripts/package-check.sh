#!/usr/bin/env bash
# CI's check of what an administrator installs (scripts/test.sh runs it): builds the
# packages and the Windows .exe, then installs both .debs on this machine with apt
# as an administrator would and checks what they put in place. It installs into the
# system: the README's test command says so.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/package.sh deb
scripts/package.sh windows
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

fail() { echo "package-check: $*" >&2; exit 1; }
file dist/chekara-windows-amd64.exe | grep -q "PE32+ executable" || fail "the Windows booth is not a PE32+ executable"

DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --reinstall "./dist/chekara_${VERSION:-0.1.0}_amd64.deb" "./dist/chekara-hq_${VERSION:-0.1.0}_amd64.deb" >/dev/null
for f in /usr/bin/chekara /usr/share/applications/org.chekara.booth.desktop \
         /usr/share/icons/hicolor/256x256/apps/org.chekara.booth.png /lib/udev/rules.d/60-chekara-readers.rules \
         /usr/bin/hq /usr/bin/bmis /lib/systemd/system/chekara-hq.service /etc/chekara/hq.conf; do
  [ -e "$f" ] || fail "$f is not installed"
done
getent passwd chekara-hq >/dev/null || fail "the chekara-hq user was not created"
[ "$(stat -c %a /var/lib/chekara-hq)" = 700 ] || fail "/var/lib/chekara-hq is not 0700"
# --help and a bare hq exit 2 (usage): read their words, not their status.
booth_help=$(/usr/bin/chekara --help 2>&1 || true)
grep -q -- "-enrolment FILE" <<<"$booth_help" || fail "the installed booth does not start (--help): $booth_help"
hq_usage=$(/usr/bin/hq 2>&1 || true)
grep -q "booth enrol" <<<"$hq_usage" || fail "the installed hq does not start: $hq_usage"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/chekara-hq.service 2>&1 | grep -v -i "not executable\|no such\|Failed to " || true
fi
echo "package-check: booth and HQ packages install; the Windows booth builds"
