#!/bin/sh
# Packaging checks, run by scripts/test.sh:
#  1. package.xml lists every tracked source, header, stub, test and doc
#     file with the right role, and nothing that is not in the tree;
#  2. the version in php_rdump.h, package.xml, composer.json ("version" in
#     its "extra"."rdump" block) and the newest CHANGELOG.md entry agree;
#  3. composer validate --strict passes (Debian's composer);
#  4. pecl package builds the tarball, and the tarball alone builds (phpize,
#     configure with composer.json's declared option, make, install into a
#     staging root, the steps PIE takes), loads and writes a dump the
#     inspector accepts.
# Ends with "N passed, N failed, 0 skipped".
set -u
cd "$(dirname "$0")/.."
top=$PWD
passed=0
failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do echo "     $l"; done; failed=$((failed + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The file list: what git tracks, by role, against package.xml.
git ls-files | while read -r f; do
  case $f in
    LICENSE|README.md|CHANGELOG.md|docs/*.md|tools/rdump-inspect.php) echo "$f doc" ;;
    tests/*) echo "$f test" ;;
    config.m4|config.w32|rdump.stub.php|*.c|*.h)
      case $f in */*) ;; *) echo "$f src" ;; esac ;;
  esac
done | sort >"$work/want"
sed -n 's|^ *<file name="\([^"]*\)" role="\([^"]*\)"/>$|\1 \2|p' package.xml | sort >"$work/have"
if cmp -s "$work/want" "$work/have"; then
  ok "package.xml lists the $(wc -l <"$work/want") tracked package files with their roles"
else
  bad "package.xml's file list differs from the tracked files (< missing from package.xml, > listed but not tracked)" \
    "$(diff "$work/want" "$work/have" | grep '^[<>]' | tr '\n' ';')"
fi

# 2. One version everywhere.
v_h=$(sed -n 's/^#define PHP_RDUMP_VERSION "\(.*\)"$/\1/p' php_rdump.h)
v_pkg=$(sed -n 's|^ *<release>\([0-9][^<]*\)</release>$|\1|p' package.xml | head -n 1)
v_api=$(sed -n 's|^ *<api>\([0-9][^<]*\)</api>$|\1|p' package.xml | head -n 1)
v_comp=$(php -n -r '$j = json_decode(file_get_contents("composer.json"), true); echo $j["extra"]["rdump"]["version"] ?? "";' 2>/dev/null \
  || sed -n 's/^ *"version": "\(.*\)"$/\1/p' composer.json)
v_log=$(sed -n 's/^## \[\{0,1\}\([0-9][0-9.a-z-]*\)\]\{0,1\}.*/\1/p' CHANGELOG.md | head -n 1)
if [ -n "$v_h" ] && [ "$v_h" = "$v_pkg" ] && [ "$v_h" = "$v_api" ] && [ "$v_h" = "$v_comp" ] && [ "$v_h" = "$v_log" ]; then
  ok "version $v_h in php_rdump.h, package.xml, composer.json and CHANGELOG.md"
else
  bad "versions disagree" "php_rdump.h=$v_h package.xml=$v_pkg/$v_api composer.json=$v_comp CHANGELOG.md=$v_log"
fi

# 3. composer.json for PIE. The php-ext block is known to Composer from
#    2.7 on: bookworm's composer (2.5) rejects it as an unknown property, so
#    the check uses trixie's (2.8, Debian's too) in the matrix's cached
#    chroot, made here if it is missing.
sh scripts/deps.sh composer >/dev/null
composer_ok() { # composer version >= 2.7?
  "$@" --version 2>/dev/null | awk '/Composer version/ {split($3, v, "."); exit !(v[1] > 2 || (v[1] == 2 && v[2] >= 7))}'
}
trixie=${RDUMP_CACHE:-/var/cache/rdump-matrix}/chroot-trixie
if COMPOSER_ALLOW_SUPERUSER=1 composer_ok composer; then
  COMPOSER_ALLOW_SUPERUSER=1 composer validate --strict composer.json >"$work/composer.out" 2>&1
  rc=$?
  where="composer $(composer --version 2>/dev/null | awk '/Composer version/ {print $3}')"
else
  [ -x "$trixie/usr/bin/php" ] || sh scripts/matrix.sh --prepare 8.4-nts >"$work/prepare.out" 2>&1
  if [ ! -x "$trixie/usr/bin/composer" ]; then
    chroot "$trixie" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q composer' >>"$work/prepare.out" 2>&1
  fi
  cp composer.json "$trixie/tmp/rdump-composer.json"
  mkdir -p "$trixie/tmp/rdump-composer" && mv "$trixie/tmp/rdump-composer.json" "$trixie/tmp/rdump-composer/composer.json"
  chroot "$trixie" sh -c 'cd /tmp/rdump-composer && COMPOSER_ALLOW_SUPERUSER=1 composer validate --strict composer.json' \
    >"$work/composer.out" 2>&1
  rc=$?
  where="composer $(chroot "$trixie" composer --version 2>/dev/null | awk '/Composer version/ {print $3}') (Debian trixie)"
  rm -rf "$trixie/tmp/rdump-composer"
fi
if [ "$rc" -eq 0 ]; then
  ok "composer validate --strict, $where"
else
  bad "composer validate --strict, $where" "$(tr '\n' ';' <"$work/composer.out")"
fi

# 4. The PECL tarball, built and used on its own.
sh scripts/deps.sh php-pear >/dev/null
if (cd "$work" && pecl package "$top/package.xml") >"$work/pecl.out" 2>&1 \
   && tgz=$(ls "$work"/rdump-*.tgz 2>/dev/null) && [ -n "$tgz" ]; then
  ok "pecl package: $(basename "$tgz")"
  mkdir "$work/unpacked" "$work/root"
  opt=$(php -n -r '$j = json_decode(file_get_contents("composer.json"), true); echo $j["php-ext"]["configure-options"][0]["name"];')
  if tar -xzf "$tgz" -C "$work/unpacked" \
     && cd "$work/unpacked/rdump-$v_h" \
     && phpize >"$work/build.out" 2>&1 \
     && ./configure "--$opt" >>"$work/build.out" 2>&1 \
     && make -j"$(nproc)" >>"$work/build.out" 2>&1 \
     && make install INSTALL_ROOT="$work/root" >>"$work/build.out" 2>&1; then
    cd "$top"
    so=$(find "$work/root" -name rdump.so | head -n 1)
    if [ -n "$so" ] && php -n -d "extension=$so" -r 'exit(rdump_dump($argv[1]) ? 0 : 1);' "$work/t.rdump" \
       && php -n tools/rdump-inspect.php --summary "$work/t.rdump" >/dev/null; then
      ok "the tarball alone builds (phpize, ./configure --$opt, make, make install), loads, and writes a valid dump"
    else
      bad "the extension built from the tarball did not load or dump" "so=$so"
    fi
  else
    cd "$top"
    bad "the tarball does not build on its own" "$(tail -n 15 "$work/build.out" | tr '\n' ';')"
  fi
else
  bad "pecl package" "$(tail -n 15 "$work/pecl.out" | tr '\n' ';')"
fi

echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
