#!/bin/sh
# The benchmark, once over three small workloads (one run per cell): it
# must complete and measure what it names (the resident bytes at least the
# workload's heap), and every mode but `whole` must meet the
# resident-capture size targets: dump bytes at most 1.02 x the resident
# bytes plus the allocated-but-untouched bytes the dump holds as zeros
# (the Zend structures it takes whole), RSS growth during the dump at
# most 1 MiB. Timings are not checked here (this machine is shared and
# noisy): `sh bench/run.sh` measures them, medians of five.
# Ends with "N passed, N failed, 0 skipped".
set -u
cd "$(dirname "$0")/.."
sh scripts/build.sh >/dev/null
out=$(php -n bench/bench.php --runs=1 --only='heap 40M,heap 40M + opcache,fpm-like 8M + 256M SHM' 2>&1)
rc=$?
echo "$out"
echo "$out" | awk -F'|' -v rc="$rc" '
  /^\| (heap|fpm)/ {
    name = $2; mode = $3
    gsub(/^ +| +$/, "", name); gsub(/ /, "", mode)
    if (mode == "whole") {
      next
    }
    rows++
    heap = name; sub(/^[^0-9]*/, "", heap); heap += 0
    # $5 resident, $6 untouched (MiB; "-" if not measured), $7 dump/(res+unt), $13 rss+ (KiB)
    ok = $5 + 0 >= heap && $6 ~ /[0-9]/ && $7 + 0 <= 1.02 && $13 + 0 <= 1024
    printf "%s, %s: resident %.1f MiB, untouched %.2f MiB, dump/(res+unt) %.3f, rss+ %d KiB: %s\n", name, mode,
      $5, $6, $7, $13,
      ok ? "ok" : "FAILED"
    if (ok) passed++; else failed++
  }
  END {
    if (rc != 0 || rows != 15) {
      printf "the benchmark did not complete (exit %d, %d rows of 15)\n", rc, rows
      failed++
    }
    printf "%d passed, %d failed, 0 skipped\n", passed, failed
    exit failed > 0
  }'
