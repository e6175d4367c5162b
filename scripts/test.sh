#!/bin/sh
# Build rdump and run the whole phpt suite: once plainly, once under
# valgrind (memcheck, USE_ZEND_ALLOC=0, leak check). Ends with the line
# "N passed, N failed, N skipped" summed over both runs; exits non-zero
# if any test failed, leaked or could not run.
set -eu
cd "$(dirname "$0")/.."

sh scripts/build.sh
# The test tools: valgrind, setpriv/unshare, php-fpm and Xdebug of the same
# PHP version, and cgi-fcgi (a FastCGI client).
v=$(php -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
sh scripts/deps.sh valgrind util-linux libfcgi-bin "php$v-fpm" "php$v-xdebug"

php=$(command -v php)
logdir=$(mktemp -d)
swapfile=""
cleanup() {
  rm -rf "$logdir"
  if [ -n "$swapfile" ]; then swapoff "$swapfile" 2>/dev/null; rm -f "$swapfile"; fi
}
trap cleanup EXIT

# tests/resident_swap.phpt needs swap to push a page out; where there is
# none and we are root, lend the machine a small swap file for the run.
if [ "$(id -u)" -eq 0 ] && [ "$(wc -l </proc/swaps)" -lt 2 ]; then
  swapfile=/var/tmp/rdump-test-$$.swap
  if ! { fallocate -l 256M "$swapfile" && chmod 600 "$swapfile" && mkswap "$swapfile" >/dev/null \
         && swapon "$swapfile"; } 2>/dev/null; then
    rm -f "$swapfile"
    swapfile=""
    echo "== no swap could be set up: resident_swap.phpt will skip"
  fi
fi

# One run of run-tests.php over tests/; prints its output and appends
# "passed failed skipped" to $logdir/counts.
run_suite() {
  label=$1
  shift
  echo "== phpt suite: $label"
  set +e
  TEST_PHP_EXECUTABLE=$php NO_INTERACTION=1 "$php" -n run-tests.php -n -q \
    -d extension="$PWD/modules/rdump.so" --show-diff "$@" tests/ >"$logdir/$label.log" 2>&1
  set -e
  grep -E '^(TEST|PASS|FAIL|SKIP|LEAK|BORK|WARN)' "$logdir/$label.log" | sed 's/\x1b\[[0-9;]*m//g' || true
  # run-tests.php's summary table: "Tests passed    :   12 (...)".
  count() { sed -n "s/^$1 *: *\([0-9]*\).*/\1/p" "$logdir/$label.log" | head -n 1; }
  passed=$(count 'Tests passed'); failed=$(count 'Tests failed')
  skipped=$(count 'Tests skipped'); warned=$(count 'Tests warned')
  leaked=$(count 'Tests leaked'); borked=$(count 'Tests borked')
  if [ -z "$passed" ]; then
    cat "$logdir/$label.log"
    echo "run-tests.php printed no summary" >&2
    passed=0; failed=1
  fi
  bad=$(( ${failed:-0} + ${warned:-0} + ${leaked:-0} + ${borked:-0} ))
  if [ "$bad" -gt 0 ]; then
    for f in tests/*.diff tests/*.mem; do
      [ -f "$f" ] && { echo "--- $f"; head -n 60 "$f"; }
    done
  fi
  echo "$passed $bad ${skipped:-0}" >>"$logdir/counts"
}

rm -f tests/*.diff tests/*.mem tests/*.out tests/*.log tests/*.exp
run_suite plain

# Under valgrind: the copy loop's write(2) of raw memory is suppressed
# (tests/valgrind.supp); PCRE's JIT code is opaque to memcheck, so it is
# off. Not traced: the inspector (a plain PHP script that does not load
# rdump), mount and setpriv (setuid, or unable to write valgrind's log
# once unprivileged), and the opcache child whose RSS figures valgrind's
# own memory would distort.
rm -f tests/*.diff tests/*.mem
USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 \
VALGRIND_OPTS="--suppressions=$PWD/tests/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --trace-children-skip=*/mount,*/setpriv --trace-children-skip-by-arg=*rdump-inspect.php*,*opcache.enable_cli=1*" \
  run_suite valgrind -m -d pcre.jit=0

awk '{p += $1; f += $2; s += $3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s; exit (f > 0)}' "$logdir/counts"
