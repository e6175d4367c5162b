#!/bin/sh
# Build modules/rdump.so against the system PHP with the project's warning
# flags, installing what the build needs from Debian's packages if missing.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh php-dev php-cli make gcc
echo "== building rdump against PHP $(php -n -r 'echo PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";')"
if [ ! -f Makefile ] || [ config.m4 -nt Makefile ] || [ scripts/build.sh -nt Makefile ]; then
  phpize >/dev/null
  # PHP's own headers as system headers: the warning flags are for rdump's
  # code (PHP 8.5's zend_operators.h has an unused parameter, for one).
  sys=$(php-config --includes | sed 's/-I/-isystem /g')
  ./configure --enable-rdump CFLAGS="${CFLAGS:--O2 -g} -Wall -Wextra -Werror $sys" >/dev/null
fi
make -j"$(nproc)" >/dev/null
echo "== built modules/rdump.so"
# The offline dump walker the tests use, against the same PHP's headers
# (struct layouts only: it does not link libphp).
sys=$(php-config --includes | sed 's/-I/-isystem /g')
# shellcheck disable=SC2086 # word splitting of the flags is meant
"${CC:-cc}" ${CFLAGS:--O2 -g} -Wall -Wextra -Werror $sys -o modules/rdump-walk tools/rdump-walk.c ${LDFLAGS:-}
echo "== built modules/rdump-walk"
