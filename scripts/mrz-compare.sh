#!/bin/sh
# Compares app/mrz with the cheminfo mrz package (npm) on generated TD3s, as
# issue 21 did. The package is installed in a temporary folder outside the
# repository and removed afterwards. Arguments go to scripts/mrzcompare
# (-n, -seed, -as-of, -show; -speed BMIS times `BMIS mrz` against the package
# end to end on the same documents, issue 14 item 10).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tmp" mrz@5.0.2 >/dev/null
go run ./scripts/mrzcompare -node-modules "$tmp" "$@"
