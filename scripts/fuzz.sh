#!/bin/sh
# Fuzzing: every pure parser of outside input, with libFuzzer (Debian's
# clang), AddressSanitizer and UndefinedBehaviorSanitizer, seeded from the
# committed corpus under fuzz/corpus/<target>; and the inspector on mutated
# real dumps (fuzz/inspect_mutations.php). Each runs for SECONDS (default
# 60). New inputs found go to a scratch directory, not into the checkout.
#   sh scripts/fuzz.sh [SECONDS]
# Prints a line per target with its executions and ends with
# "N passed, N failed, 0 skipped".
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
sh scripts/deps.sh clang libclang-rt-14-dev >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
cc=$(command -v clang-14 || command -v clang)
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I."

build_run() { # target sources...
  t=$1
  shift
  if ! $cc $flags -o "$work/$t" "fuzz/$t.c" "$@" 2>"$work/$t.build"; then
    echo "FAIL $t: does not build: $(head -c 400 "$work/$t.build")"
    failed=$((failed + 1))
    return
  fi
  mkdir -p "$work/new-$t"
  if "$work/$t" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=1024 \
       "$work/new-$t" "fuzz/corpus/$t" >"$work/$t.log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
    echo "PASS $t: $execs executions in ${secs} s, no crash, leak or undefined behaviour"
    passed=$((passed + 1))
  else
    echo "FAIL $t: $(grep -m 3 -E 'ERROR|runtime error|Assertion|deadly' "$work/$t.log" | tr '\n' ' ')"
    ls "$work"/crash-* "$PWD"/crash-* 2>/dev/null | head -n 3
    failed=$((failed + 1))
  fi
}

build_run fuzz_maps_line rdump_maps.c
build_run fuzz_config rdump_config.c
build_run fuzz_template rdump_template.c
build_run fuzz_cgroup rdump_cgroup.c rdump_maps.c

# The inspector, on mutations of a real dump.
sh scripts/build.sh >/dev/null
if php -n -d extension="$PWD/modules/rdump.so" fuzz/inspect_mutations.php "$secs" "$work" >"$work/inspect.log" 2>&1; then
  echo "PASS inspector: $(tail -n 1 "$work/inspect.log")"
  passed=$((passed + 1))
else
  echo "FAIL inspector: $(tail -n 5 "$work/inspect.log" | tr '\n' ' ')"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
