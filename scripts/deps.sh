#!/bin/sh
# Install the given Debian packages if any is missing (as root; runs
# apt-get update first). Virtual names php-dev/php-cli are taken as
# present when phpize/php are.
#   scripts/deps.sh package ...
set -eu
need=""
for pkg in "$@"; do
  case $pkg in
    php-dev) command -v phpize >/dev/null 2>&1 && continue ;;
    php-cli) command -v php >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "ok installed" && continue
  need="$need $pkg"
done
[ -n "$need" ] || exit 0
echo "== installing:$need"
if [ "$(id -u)" -ne 0 ]; then
  echo "need root to install:$need" >&2
  exit 1
fi
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need >/dev/null
