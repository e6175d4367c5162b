#!/bin/sh
# Build rdump and run every check: the phpt suite against the machine's PHP
# (scripts/cell.sh), the same suite under valgrind (memcheck,
# USE_ZEND_ALLOC=0, leak check), the packaging checks
# (scripts/check-package.sh), fuzzing (scripts/fuzz.sh), a soak
# (scripts/soak.sh), one pass of the benchmark (scripts/bench-check.sh),
# then the compatibility matrix
# (scripts/matrix.sh: other PHP versions in cached chroots, ZTS and debug
# builds). Ends with the line "N passed, N failed, N skipped" summed over
# every run; exits non-zero if any test failed, leaked or could not run.
#   sh scripts/test.sh            everything
#   sh scripts/test.sh --quick    the build, the suite against the
#                                 machine's PHP and the packaging checks
set -eu
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

sh scripts/build.sh
# The test tools: setpriv/unshare, php-fpm and Xdebug of the same PHP
# version, cgi-fcgi (a FastCGI client) and strace.
v=$(php -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
xdebug_was_installed=0
if dpkg-query -W -f='${Status}\n' "php$v-xdebug" 2>/dev/null | grep -q "ok installed"; then
  xdebug_was_installed=1
fi
sh scripts/deps.sh util-linux libfcgi-bin "php$v-fpm" "php$v-xdebug" strace
# The tests load Xdebug themselves (-d zend_extension=...); Debian enables it
# for every SAPI on install, which would put a debugger into this machine's
# php-fpm and CLI. Installed by this run: disabled again for every SAPI, as
# the admin's choice (phpdismod), so that package upgrades keep it off; the
# package's trigger restarted a running php-fpm service with it, so that is
# restarted again without it (try-restart: a stopped service stays
# stopped). Installed before this run: whatever the admin enabled stays as
# it is.
if [ "$xdebug_was_installed" -eq 0 ]; then
  phpdismod -v "$v" -s ALL xdebug
  if pgrep -x "php-fpm$v" >/dev/null; then
    invoke-rc.d "php$v-fpm" try-restart \
      || echo "== php$v-fpm could not be restarted: it keeps Xdebug loaded until it is"
  fi
fi

logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

# One run of scripts/cell.sh; its last line ("N passed, N failed, N
# skipped") goes to $logdir/counts, with the label and the time taken.
run_cell() {
  label=$1
  shift
  start=$(date +%s)
  set +e
  "$@" 2>&1 | tee "$logdir/$label.log"
  set -e
  line=$(tail -n 1 "$logdir/$label.log")
  if ! echo "$line" | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
    line="0 passed, 1 failed, 0 skipped"
  fi
  echo "$label $line $(( $(date +%s) - start ))" | tr -d ',' | awk '{print $1, $2, $4, $6, $8}' >>"$logdir/counts"
}

run_cell "8.2-nts" sh scripts/cell.sh "8.2-nts (system PHP)"

if [ "$quick" -eq 0 ]; then
  sh scripts/deps.sh valgrind
  # Under valgrind: the writer's writev(2) of raw memory is suppressed
  # (tests/valgrind.supp); PCRE's JIT code is opaque to memcheck, so it is
  # off. Not traced: the inspector (a plain PHP script that does not load
  # rdump), mount and setpriv (setuid, or unable to write valgrind's log
  # once unprivileged), swapon and swapoff (the swap tests turn on a swap
  # file of their own; valgrind knows neither system call), the opcache
  # child whose RSS figures valgrind's own memory would distort, and the
  # children that compare a dump's map with /proc/self/maps exactly
  # ("exact-maps"): valgrind's own mappings grow while a thread (the
  # dump's helper) runs.
  USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 \
  VALGRIND_OPTS="--suppressions=$PWD/tests/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --trace-children-skip=*/mount,*/setpriv,*/strace,*/swapon,*/swapoff --trace-children-skip-by-arg=*rdump-inspect.php*,*opcache.enable_cli=1*,exact-maps" \
    run_cell "8.2-nts-valgrind" sh scripts/cell.sh "8.2-nts under valgrind" -m -d pcre.jit=0
fi

# Packaging: package.xml, versions, composer.json, the PECL tarball.
run_cell "packaging" sh scripts/check-package.sh

if [ "$quick" -eq 0 ]; then
  # Fuzzing: each parser of outside input, and the inspector, for 60 s.
  run_cell "fuzzing" sh scripts/fuzz.sh "${RDUMP_FUZZ_SECONDS:-60}"
  # Soak: 2,000 dumps in one process per copy path.
  run_cell "soak" sh scripts/soak.sh 2000
  # The benchmark once over its small workloads: it completes, measures
  # its heaps, meets the size targets (no timings: see the script).
  run_cell "bench" sh scripts/bench-check.sh
  RDUMP_MATRIX_COUNTS="$logdir/counts" sh scripts/matrix.sh 2>&1 | tee "$logdir/matrix.log" || true
  # docs/RELIABILITY.md must name only checks that passed in this run.
  run_cell "reliability-doc" sh scripts/check-reliability.sh "$logdir/counts" "$logdir"/8.2-nts.log "$logdir/matrix.log"
  # docs/TESTING.md's support table must say what this run tested; with
  # RDUMP_UPDATE_README=1 it is rewritten from this run instead.
  cp "$logdir/counts" /var/tmp/rdump-last-run.counts 2>/dev/null || true
  if [ "${RDUMP_UPDATE_README:-0}" = 1 ]; then
    sh scripts/support-table.sh "$logdir/counts" --update
  elif sh scripts/support-table.sh "$logdir/counts" --check; then
    echo "support-table 1 0 0 0" >>"$logdir/counts"
  else
    echo "support-table 0 1 0 0" >>"$logdir/counts"
  fi
fi

echo
echo "== per cell"
printf '%-22s %7s %7s %8s %9s\n' cell passed failed skipped seconds
while read -r label p f s t; do
  printf '%-22s %7s %7s %8s %9s\n' "$label" "$p" "$f" "$s" "$t"
done <"$logdir/counts"
awk '{p += $2; f += $3; s += $4} END {printf "%d passed, %d failed, %d skipped\n", p, f, s; exit (f > 0)}' "$logdir/counts"
