#!/bin/sh
# Build rdump, dump a small demo script and print the inspector's summary.
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh
out=${1:-demo.rdump}
php -n -d extension="$PWD/modules/rdump.so" examples/demo.php "$out"
php -n tools/rdump-inspect.php --summary "$out"
