#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster and makes a role and database for the tests.
# Prints the export line for CHEKARA_TEST_POSTGRES; use: eval "$(scripts/postgres.sh)".
set -euo pipefail
# pg_lsclusters is Perl: give it a locale every machine has, so it does not warn.
export LC_ALL=C.UTF-8
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
read -r ver name _ < <(pg_lsclusters -h | head -n 1)
# Everything but the final export goes to stderr: stdout is eval'd by the caller.
$sudo pg_ctlcluster "$ver" "$name" start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  $sudo runuser -u postgres -- pg_isready -q && break
  sleep 1
done
psql() { $sudo runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
[ "$(psql -c "SELECT 1 FROM pg_roles WHERE rolname='chekara'")" = 1 ] ||
  psql -c "CREATE ROLE chekara LOGIN PASSWORD 'chekara' CREATEDB" >&2
[ "$(psql -c "SELECT 1 FROM pg_database WHERE datname='chekara_test'")" = 1 ] ||
  psql -c "CREATE DATABASE chekara_test OWNER chekara" >&2
echo "export CHEKARA_TEST_POSTGRES='postgres://chekara:chekara@127.0.0.1:5432/chekara_test?sslmode=disable'"
