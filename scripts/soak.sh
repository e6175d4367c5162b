#!/bin/sh
# Soak: 2,000 dumps in one process (every 10th a background snapshot), for
# each copy path; no growth in open descriptors, RSS or child processes.
# Ends with "N passed, N failed, 0 skipped".
set -u
cd "$(dirname "$0")/.."
sh scripts/build.sh >/dev/null
n=${1:-2000}
passed=0
failed=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for safe in 0 1; do
  out=$(php -n -d extension="$PWD/modules/rdump.so" -d rdump.safe_read=$safe scripts/soak.php "$n" "$dir/s$safe" 2>&1)
  rc=$?
  echo "$out" | sed "s/^/safe_read=$safe: /"
  if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
