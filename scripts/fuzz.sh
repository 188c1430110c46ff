#!/usr/bin/env bash
# Runs every fuzz target in the module for the given time each (default 30s).
# Minimisation is off: on some targets it stalls a short run past its time (and
# the engine then reports "context deadline exceeded"); a crasher is kept as found.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${1:-30s}
for pkg in $(go list ./... | grep -v -E '/ui($|/)'); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for f in $(grep -h -o '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    echo "== $pkg $f ($t)"
    go test -run '^$' -fuzz "^$f\$" -fuzztime "$t" -fuzzminimizetime 0 "$pkg"
  done
done
