#!/bin/sh
# Analyse an RDUMP file with the test oracle, reli's heap analyser
# (RDUMP_ORACLE, default ../shared/reli-oracle from the repository root);
# JSON report on stdout, exit status and stderr as the oracle's `analyze`.
#   scripts/oracle.sh DUMP [--pretty] [--dependency-root=DIR]
# When the oracle lacks its composer dependencies (reli/vendor/), it runs in
# an overlay under ${TMPDIR:-/tmp}/rdump-oracle-UID: copies of the oracle's
# scripts and links to reli's sources, with a reli/vendor/autoload.php that
# loads tests/oracle/autoload.php (stand-ins and Debian's packages).
# Exit status 3 when that setup cannot be done.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
oracle=${RDUMP_ORACLE:-$top/../shared/reli-oracle}
fail() { echo "oracle.sh: $*" >&2; exit 3; }
[ -f "$oracle/analyze" ] && [ -f "$oracle/analyze.php" ] || fail "no oracle at $oracle (set RDUMP_ORACLE)"
oracle=$(cd "$oracle" && pwd -P)
if [ -f "$oracle/reli/vendor/autoload.php" ]; then
  exec sh "$oracle/analyze" "$@"
fi

# deps.sh reports on stdout, which is the report's.
pkgs="php-webmozart-assert php-psr-log php-psr-container"
[ -n "${RELI_PHP:-}" ] || pkgs="php-cli $pkgs"
sh "$top/scripts/deps.sh" $pkgs >&2 || fail "the oracle needs Debian's $pkgs (as root: sh scripts/deps.sh $pkgs)"

# A private cache directory: the overlay's PHP files are run from it.
cache=${TMPDIR:-/tmp}/rdump-oracle-$(id -u)
[ -d "$cache" ] || mkdir -m 700 "$cache" || fail "cannot create $cache"
[ -d "$cache" ] && [ ! -L "$cache" ] && [ -O "$cache" ] || fail "$cache is not a directory of our own"

# The overlay in $1: the oracle's scripts copied (PHP resolves __DIR__
# through links), the rest of reli/ linked, and our vendor/autoload.php;
# "ready" last.
build() {
  cp "$oracle/analyze" "$oracle/analyze.php" "$oracle/summarize.php" "$1/" || return 1
  mkdir -p "$1/reli/vendor" || return 1
  for f in "$oracle/reli/"* "$oracle/reli/".[!.]*; do
    [ -e "$f" ] || continue
    case ${f##*/} in vendor) continue ;; esac
    ln -s "$f" "$1/reli/${f##*/}" || return 1
  done
  # A PHP string in single quotes: backslashes and quotes escaped.
  q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/[\\\\']/\\\\&/g")"; }
  cat >"$1/reli/vendor/autoload.php" <<EOF || return 1
<?php
// Written by rdump's scripts/oracle.sh: stand-ins for reli's composer dependencies.
require $(q "$top/tests/oracle/autoload.php");
rdump_oracle_autoload(dirname(__DIR__));
EOF
  : >"$1/ready"
}

# One overlay per oracle, repository and oracle contents. mkdir claims it;
# a concurrent run waits for "ready", and takes over one left half-built.
stamp=$( (echo "$oracle" "$top"; ls -A "$oracle/reli"; cat "$oracle/analyze" "$oracle/analyze.php" "$oracle/summarize.php") | cksum | tr ' ' -)
overlay=$cache/overlay-$stamp
for _ in 1 2; do
  [ -f "$overlay/ready" ] && break
  if mkdir "$overlay" 2>/dev/null; then
    build "$overlay" || rm -rf "$overlay"
    break
  fi
  i=0
  while [ ! -f "$overlay/ready" ] && [ $i -lt 20 ]; do sleep 1; i=$((i + 1)); done
  [ -f "$overlay/ready" ] || rm -rf "$overlay"
done
[ -f "$overlay/ready" ] || fail "could not build the overlay in $overlay"
exec sh "$overlay/analyze" "$@"
