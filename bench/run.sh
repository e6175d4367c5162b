#!/bin/sh
# Build rdump and run the benchmark: every workload, one table (medians).
#   sh bench/run.sh [--runs=5] [--dir=/var/tmp] [--only=workload,...]
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh >&2
exec php -n bench/bench.php "$@"
