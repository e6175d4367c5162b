#!/bin/sh
# Checks docs/RELIABILITY.md against a test run: every tests/*.phpt it
# names must have passed in that run (PASS in one of the logs given), and
# every scripts/*.sh check it names must have a passing cell in COUNTS.
#   sh scripts/check-reliability.sh COUNTS LOG...
# Ends with "N passed, N failed, 0 skipped" (one per named test or script).
set -u
cd "$(dirname "$0")/.."
counts=$1
shift
passed=0
failed=0
for t in $(grep -o 'tests/[a-z0-9_]*\.phpt' docs/RELIABILITY.md | sort -u); do
  if [ ! -f "$t" ]; then
    echo "FAIL $t: named in docs/RELIABILITY.md but not in the suite"
    failed=$((failed + 1))
  elif cat "$@" | sed 's/\x1b\[[0-9;]*m//g' | grep -q "PASS.*\[$t\]"; then
    passed=$((passed + 1))
  else
    echo "FAIL $t: named in docs/RELIABILITY.md but did not pass in this run"
    failed=$((failed + 1))
  fi
done
for s in fuzz soak; do
  if grep -q "scripts/$s.sh" docs/RELIABILITY.md; then
    cell=$( [ "$s" = fuzz ] && echo fuzzing || echo soak )
    if awk -v c="$cell" '$1 == c && $2 > 0 && $3 == 0 {ok = 1} END {exit !ok}' "$counts"; then
      passed=$((passed + 1))
    else
      echo "FAIL scripts/$s.sh: named in docs/RELIABILITY.md but its check did not pass in this run"
      failed=$((failed + 1))
    fi
  fi
done
echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
