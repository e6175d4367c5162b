#!/bin/sh
# Regenerate rdump_arginfo.h and rdump_legacy_arginfo.h from rdump.stub.php
# with php-src's build/gen_stub.php as shipped by Debian's php-dev package.
# gen_stub.php wants PHP-Parser unpacked next to it and would download it;
# this points it at Debian's php-parser package instead (no network).
set -eu
cd "$(dirname "$0")/.."
gen_stub=$(ls "$(php-config --extension-dir)/build/gen_stub.php" 2>/dev/null || true)
[ -n "$gen_stub" ] || gen_stub=$(ls /usr/lib/php/*/build/gen_stub.php | tail -n 1)
[ -d /usr/share/php/PhpParser ] || { echo "install Debian's php-parser package first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$gen_stub" "$work/gen_stub.php"
version=$(sed -n 's/^ *\$version = "\([0-9.]*\)";/\1/p' "$work/gen_stub.php" | head -n 1)
mkdir -p "$work/PHP-Parser-$version"
ln -s /usr/share/php "$work/PHP-Parser-$version/lib"
# Debian builds tokenizer as a shared extension; gen_stub.php needs it.
php -n -d extension=tokenizer "$work/gen_stub.php" --force-regeneration rdump.stub.php
