#!/bin/sh
# Instructions per parse of the MRZ benchmark documents, counted by valgrind
# (cachegrind): the difference between 100,000 parses and none, divided by
# 100,000. Unlike ns/op it does not move with the machine's load. Give a git
# revision to compare with it (e.g. scripts/mrz-instructions.sh main).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/new" ./scripts/mrzinstr
count() { GOGC=off GOMAXPROCS=1 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 |
	awk '/I *refs/ {gsub(",", "", $NF); print $NF}'; }
per() { echo "$(count "$1" "$2" 100000) $(count "$1" "$2" 0)" | awk '{printf "%.0f", ($1-$2)/100000}'; }
if [ $# -ge 1 ]; then
	mkdir -p "$tmp/old" && git archive "$1" | tar -x -C "$tmp/old"
	mkdir -p "$tmp/old/scripts/mrzinstr" && cp scripts/mrzinstr/main.go "$tmp/old/scripts/mrzinstr/"
	(cd "$tmp/old" && go build -o "$tmp/oldbin" ./scripts/mrzinstr)
fi
printf '%-8s %14s %s\n' document "instr/parse" "${1:+(at $1)}"
for d in td3 plain td1; do
	printf '%-8s %14s %s\n' "$d" "$(per "$tmp/new" "$d")" "$([ $# -ge 1 ] && per "$tmp/oldbin" "$d")"
done
