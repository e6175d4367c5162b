#!/bin/sh
# One run of the phpt suite against the PHP first on PATH: build rdump for
# it (-Wall -Wextra -Werror), run tests/ once with run-tests.php, then
# validate with the inspector every dump the suite made, and analyse each
# with reli's analyser where it applies. Prints the test
# lines and ends with "N passed, N failed, N skipped"; exits non-zero if
# anything failed, leaked, could not run, or a dump did not validate.
#   sh scripts/cell.sh LABEL [run-tests.php options...]
# RDUMP_CELL_KEEP=DIR keeps the dumps (copied to DIR at the end).
# Used by scripts/test.sh (plain and valgrind runs) and, inside each
# chroot or against each PHP build, by scripts/matrix.sh.
set -eu
cd "$(dirname "$0")/.."
label=$1
shift

sh scripts/build.sh
# xmllint reads run-tests.php's JUnit report.
sh scripts/deps.sh libxml2-utils
php=$(command -v php)
work=$(mktemp -d)
trap '[ -n "${RDUMP_CELL_KEEP:-}" ] && cp -r "$work/keep" "$RDUMP_CELL_KEEP"; rm -rf "$work"' EXIT
mkdir "$work/keep"

# The tests' own PHP code uses json, a shared extension on PHP 7 (Debian).
ext=""
if ! "$php" -n -r 'exit(function_exists("json_decode") ? 0 : 1);'; then
  ext="-d extension=json"
fi

echo "== phpt suite: $label ($("$php" -n -r 'echo PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS", PHP_DEBUG ? " debug" : "";'))"
rm -f tests/*.diff tests/*.mem tests/*.out tests/*.log tests/*.exp tests/*.php tests/*.sh
set +e
RDUMP_TEST_KEEP="$work/keep" TEST_PHP_EXECUTABLE=$php TEST_PHP_JUNIT="$work/junit.xml" NO_INTERACTION=1 \
  "$php" -n run-tests.php -n -q \
  $ext -d extension="$PWD/modules/rdump.so" --show-diff "$@" tests/ >"$work/log" 2>&1
set -e
grep -E '^(TEST|PASS|FAIL|SKIP|LEAK|BORK|WARN)' "$work/log" | sed 's/\x1b\[[0-9;]*m//g' || true

# The counts from run-tests.php's JUnit report. Its root element holds
# the number of tests, failures (FAIL), errors (BORK, LEAK) and skips;
# warned tests (WARN) are the test cases with a <warning>. Failed, warned,
# leaked and borked tests all count as failed; expected failures (XFAIL,
# XLEAK) count as passed, as in the report.
junit() { xmllint --xpath "$1" "$work/junit.xml" 2>/dev/null; }
if total=$(junit 'number(/testsuites/@tests)') && [ "$total" != NaN ]; then
  failed=$(junit 'number(/testsuites/@failures) + number(/testsuites/@errors) + count(//testcase[warning])')
  skipped=$(junit 'number(/testsuites/@skip)')
  passed=$((total - failed - skipped))
else
  cat "$work/log"
  echo "run-tests.php wrote no JUnit report" >&2
  passed=0; failed=1; skipped=0
fi
bad=$failed
if [ "$bad" -gt 0 ]; then
  for f in tests/*.diff tests/*.mem; do
    [ -f "$f" ] && { echo "--- $f"; head -n 60 "$f"; }
  done
fi

# Every dump the suite made, read back by the inspector.
dumps=0; invalid=0
for f in "$work"/keep/*.rdump; do
  [ -f "$f" ] || continue
  dumps=$((dumps + 1))
  if ! "$php" -n $ext tools/rdump-inspect.php --summary "$f" >/dev/null 2>"$work/inspect.err"; then
    invalid=$((invalid + 1))
    echo "INVALID dump $(basename "$f"): $(head -c 300 "$work/inspect.err")"
  fi
done
echo "== $label: $dumps dumps made by the suite, $invalid rejected by the inspector"
if [ "$invalid" -gt 0 ]; then
  bad=$((bad + 1))
fi

# Every dump the suite made, analysed by reli's own analyser
# (tests/oracle/check.php) where it applies: NTS dumps of PHP 7.0 - 8.3,
# made with ZendMM (not under USE_ZEND_ALLOC=0). The analyser needs PHP
# 8.1+ with FFI: where this PHP is older (a chroot), RDUMP_DUMPS_OUT names
# a directory the dumps are copied to for the caller to analyse.
if [ -n "${RDUMP_DUMPS_OUT:-}" ]; then
  cp "$work"/keep/* "$RDUMP_DUMPS_OUT"/ 2>/dev/null || true
elif [ "${USE_ZEND_ALLOC:-1}" = 0 ]; then
  echo "== $label: reli's analyser skipped (USE_ZEND_ALLOC=0: no ZendMM heap to analyse)"
elif "$php" -n -r 'exit(PHP_ZTS || PHP_VERSION_ID >= 80400 ? 0 : 1);'; then
  echo "== $label: reli's analyser skipped (it reads NTS dumps of PHP 7.0 - 8.3)"
else
  echo "== $label: every dump through reli's analyser"
  "$php" -n tests/oracle/check.php "$work/keep" >"$work/oracle.log" 2>&1 || true
  grep -v '^ORACLE PASS' "$work/oracle.log" || true
  ofailed=$(tail -n 1 "$work/oracle.log" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
  bad=$((bad + ${ofailed:-1}))
fi
echo "$passed passed, $bad failed, $skipped skipped"
[ "$bad" -eq 0 ]
