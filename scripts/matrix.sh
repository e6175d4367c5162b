#!/bin/sh
# The compatibility matrix: the phpt suite (scripts/cell.sh) against every
# PHP this project claims, all from Debian's archive:
#   7.4-nts        Debian bullseye's php7.4, in a chroot
#   8.4-nts        Debian trixie's php8.4, in a chroot
#   8.5-nts        php8.5 from Debian experimental, in a sid chroot
#   8.6-nts        php8.6 (release candidate) from experimental, same chroot
#   8.2-zts        bookworm's php8.2 upstream tarball, built --enable-zts
#   8.4-zts-debug  trixie's php8.4 upstream tarball, --enable-zts --enable-debug
#   8.4-nts-debug-asan  the same tarball, NTS, --enable-debug with
#                  AddressSanitizer and UndefinedBehaviorSanitizer; rdump
#                  built with both too, the suite run with USE_ZEND_ALLOC=0
# (8.2 NTS, the machine's own PHP, is the quick suite of scripts/test.sh.)
# Chroots and builds are cached under $RDUMP_CACHE (default
# /var/cache/rdump-matrix), keyed by cell and recipe version; a missing or
# stale one is made again. Needs root (debootstrap, chroot, mount).
#   sh scripts/matrix.sh [cell ...]     default: every cell
#   sh scripts/matrix.sh --prepare [cell ...]   only make the environments
# Appends "cell passed failed skipped seconds" per cell to
# $RDUMP_MATRIX_COUNTS when set, and prints a table.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
cache=${RDUMP_CACHE:-/var/cache/rdump-matrix}
mirror=${RDUMP_MIRROR:-http://deb.debian.org/debian}
recipe=3  # bump when a recipe below changes: every cache entry is remade
all="7.4-nts 8.4-nts 8.5-nts 8.6-nts 8.2-zts 8.4-zts-debug 8.4-nts-debug-asan"
prepare_only=0
if [ "${1:-}" = "--prepare" ]; then
  prepare_only=1
  shift
fi
cells=${*:-$all}
counts=${RDUMP_MATRIX_COUNTS:-}
mkdir -p "$cache"
results=$(mktemp)
mounted=""
unmount_all() {
  for m in $mounted; do umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null || true; done
  mounted=""
}
cleanup() {
  unmount_all
  rm -f "$results"
}
trap cleanup EXIT INT TERM

say() { echo "== matrix: $*"; }

# ---- environments -------------------------------------------------------

# debootstrap a chroot for a suite with the given packages, once.
make_chroot() {
  suite=$1 root=$2
  shift 2
  if [ -f "$root/.rdump-ready" ] && [ "$(cat "$root/.rdump-ready")" = "$recipe $*" ]; then
    return 0
  fi
  say "creating the $suite chroot in $root (cached for later runs)"
  sh scripts/deps.sh debootstrap
  rm -rf "$root"
  debootstrap --variant=minbase --include="$(echo "$@" | tr ' ' ',')" "$suite" "$root" "$mirror" \
    >"$cache/debootstrap-$suite.log" 2>&1 || { tail -n 20 "$cache/debootstrap-$suite.log"; return 1; }
  echo "$recipe $*" >"$root/.rdump-ready"
}

# In the sid chroot: php8.5 and php8.6 from experimental (they do not
# resolve with apt there; the packages are fetched and forced in).
sid_experimental() {
  root=$1
  want="$recipe experimental 8.5 8.6"
  [ -f "$root/.rdump-exp" ] && [ "$(cat "$root/.rdump-exp")" = "$want" ] && return 0
  say "adding php8.5 and php8.6 from experimental to the sid chroot"
  echo "deb $mirror experimental main" >"$root/etc/apt/sources.list.d/experimental.list"
  chroot "$root" sh -c '
    set -e
    apt-get -q -o Acquire::Check-Valid-Until=false update >/dev/null
    mkdir -p /var/tmp/exp && cd /var/tmp/exp && rm -f ./*.deb
    for v in 8.5 8.6; do
      for p in cli common readline dev fpm opcache; do
        apt-get -q -o Acquire::Check-Valid-Until=false download "php$v-$p/experimental" >/dev/null 2>&1 \
          || echo "(php$v-$p: not in experimental)"
      done
    done
    dpkg -i --force-depends --force-breaks ./*.deb >/dev/null
  ' || return 1
  echo "$want" >"$root/.rdump-exp"
}

# Fetch an upstream tarball from the Debian pool: the .orig.tar.xz of the
# source package as listed in the suite's Sources index. That index can
# name a newer upstream release than the pool holds yet (trixie's listed
# php8.4 8.4.27 while the pool had 8.4.24): then the release last seen
# there is tried.
fetch_orig() {
  pkg=$1 suite=$2 out=$3
  [ -s "$out" ] && return 0
  sh scripts/deps.sh curl xz-utils
  listed=$(curl -fsS "$mirror/dists/$suite/main/source/Sources.xz" 2>/dev/null | xz -dc 2>/dev/null \
    | awk -v p="$pkg" '/^Package: /{on = ($2 == p)} on && / [^ ]*\.orig\.tar\.xz$/ {print $3}' | sort -u)
  case $pkg in
    php8.2) known=php8.2_8.2.32.orig.tar.xz ;;
    php8.4) known=php8.4_8.4.24.orig.tar.xz ;;
    *) known="" ;;
  esac
  prefix=$(echo "$pkg" | cut -c1)
  for file in $listed $known; do
    say "downloading $file"
    if curl -fsS -o "$out.part" "$mirror/pool/main/$prefix/$pkg/$file"; then
      mv "$out.part" "$out"
      return 0
    fi
  done
  rm -f "$out.part"
  echo "no $pkg upstream tarball could be downloaded from $mirror" >&2
  return 1
}

# Build PHP from an upstream tarball into $cache/<cell>, once: CLI, FPM and
# embed (the thread harness), opcache, FFI, posix, pcntl; nothing else.
build_php() {
  cell=$1 pkg=$2 suite=$3 flags=$4
  dest=$cache/$cell
  want="$recipe $pkg $suite $flags"
  if [ -f "$dest/.rdump-ready" ] && [ "$(cat "$dest/.rdump-ready")" = "$want" ]; then
    return 0
  fi
  sh scripts/deps.sh gcc g++ make pkg-config libffi-dev autoconf
  fetch_orig "$pkg" "$suite" "$cache/$pkg.orig.tar.xz" || return 1
  say "building PHP ($pkg $flags) into $dest (cached for later runs; several minutes)"
  rm -rf "$dest" "$cache/src-$cell"
  mkdir -p "$cache/src-$cell"
  tar -xJf "$cache/$pkg.orig.tar.xz" -C "$cache/src-$cell" --strip-components=1
  (
    cd "$cache/src-$cell"
    # shellcheck disable=SC2086
    ./configure --prefix="$dest" --disable-all --enable-cli --enable-fpm --enable-embed \
      --enable-opcache --with-ffi --enable-posix --enable-pcntl --disable-phpdbg --disable-cgi \
      $flags >"$cache/build-$cell.log" 2>&1
    make -j"$(nproc)" >>"$cache/build-$cell.log" 2>&1
    make install >>"$cache/build-$cell.log" 2>&1
  ) || { tail -n 30 "$cache/build-$cell.log"; return 1; }
  rm -rf "$cache/src-$cell"
  echo "$want" >"$dest/.rdump-ready"
}

# ---- running a cell ------------------------------------------------------

# The project's files (tracked and new, as in the working tree) copied to $1.
copy_tree() {
  rm -rf "$1"
  mkdir -p "$1"
  git ls-files -co --exclude-standard -z | xargs -0 tar -cf - | tar -xf - -C "$1"
}

# Run scripts/cell.sh in a chroot with /proc mounted; PHP found through a
# directory of links to the version's binaries.
run_in_chroot() {
  cell=$1 root=$2 v=$3
  mkdir -p "$root/opt/php$v/bin"
  for b in php phpize php-config; do
    ln -sf "/usr/bin/$b$v" "$root/opt/php$v/bin/$b"
  done
  copy_tree "$root/rdump"
  # The chroot's root as a mount point of its own, so that tests can make
  # a private mount namespace inside it; /proc; /sys for the cgroup test.
  mount --bind "$root" "$root"
  mount --make-private "$root"
  mounted="$root $mounted"
  mount -t proc proc "$root/proc"
  mounted="$root/proc $mounted"
  mount --rbind /sys "$root/sys"
  mount --make-rslave "$root/sys"
  mounted="$root/sys $mounted"
  # Dumps of PHP 7.0 - 8.3 come out for reli's analyser, which needs this
  # machine's PHP (8.1+ with FFI).
  rm -rf "$root/rdump-dumps"
  out=""
  case $v in 7.*|8.[0-3]) mkdir "$root/rdump-dumps"; out=/rdump-dumps ;; esac
  set +e
  chroot "$root" /usr/bin/env -i HOME=/root TMPDIR=/tmp PATH="/opt/php$v/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    RDUMP_DUMPS_OUT="$out" sh -c 'cd /rdump && sh scripts/cell.sh "$0"' "$cell" 2>&1 | tee "$cache/last-$cell.log"
  set -e
  unmount_all
  if [ -n "$out" ]; then
    analyse_dumps "$cell" "$root/rdump-dumps"
  fi
  rm -rf "$root/rdump" "$root/rdump-dumps"
}

# reli's analyser over a chroot cell's dumps: its failures and skips are
# added to the cell's closing line.
analyse_dumps() {
  cell=$1 dir=$2
  echo "== $cell: every dump through reli's analyser (on this machine's PHP)"
  set +e
  php -n tests/oracle/check.php "$dir" >"$cache/oracle-$cell.log" 2>&1
  set -e
  grep -v '^ORACLE PASS' "$cache/oracle-$cell.log" || true
  ofailed=$(tail -n 1 "$cache/oracle-$cell.log" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
  rm -f "$cache/oracle-$cell.log"
  last=$(tail -n 1 "$cache/last-$cell.log")
  if echo "$last" | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
    echo "$last" | awk -v f="${ofailed:-1}" '{printf "%d passed, %d failed, %d skipped\n", $1, $3 + f, $5}' \
      >>"$cache/last-$cell.log"
  fi
}

# The sanitizer cell: rdump compiled with ASan and UBSan (any finding
# aborts the process, so the test fails); PHP's own allocator off so that
# ASan sees every allocation (tests of memory_limit turn it back on in
# their children); leaks are valgrind's part of the run (the quick suite).
# verify_asan_link_order=0: the unmapper test preloads a helper library.
export_sanitizer_env() {
  export USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1
  export ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0:halt_on_error=1:abort_on_error=1:print_summary=1
  export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
  export CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
  export LDFLAGS="-fsanitize=address,undefined"
}

run_built() {
  cell=$1
  work=$cache/work-$cell
  copy_tree "$work"
  set +e
  (
    cd "$work" || exit 1
    opts=""
    # Sanitized PHP starts several times slower: inspect_rejects.phpt runs
    # the inspector over a hundred times, on copies of a dump of 200-odd
    # regions: 300 s was not always enough on a loaded machine.
    case $cell in *-asan) export_sanitizer_env; opts="--set-timeout 900" ;; esac
    # shellcheck disable=SC2086
    PATH="$cache/$cell/bin:$cache/$cell/sbin:$PATH" sh scripts/cell.sh "$cell" $opts
  ) 2>&1 | tee "$cache/last-$cell.log"
  set -e
  rm -rf "$work"
}

debs() { # the packages a chroot needs for PHP version $1 (xmllint: scripts/cell.sh)
  echo "php$1-cli php$1-dev php$1-fpm php$1-opcache make gcc libc6-dev libfcgi-bin mount util-linux strace libxml2-utils"
}

# Make the environment a cell needs (cached); 0 or 1.
prepare() {
  case $1 in
    7.4-nts) make_chroot bullseye "$cache/chroot-bullseye" $(debs 7.4) php-xdebug ;;
    8.4-nts) make_chroot trixie "$cache/chroot-trixie" $(debs 8.4) php8.4-xdebug ;;
    8.5-nts|8.6-nts)
      make_chroot sid "$cache/chroot-sid" php8.4-cli php8.4-dev make gcc libc6-dev libfcgi-bin mount util-linux strace libxml2-utils \
        libapparmor1 libsystemd0 \
        && sid_experimental "$cache/chroot-sid" ;;
    8.2-zts) build_php "$1" php8.2 bookworm "--enable-zts" ;;
    8.4-zts-debug) build_php "$1" php8.4 trixie "--enable-zts --enable-debug" ;;
    8.4-nts-debug-asan) build_php "$1" php8.4 trixie \
      "--enable-debug --enable-address-sanitizer --enable-undefined-sanitizer --without-valgrind" ;;
    *) echo "unknown cell $1" >&2; return 1 ;;
  esac
}

run_cell() {
  cell=$1
  start=$(date +%s)
  status=0
  if ! prepare "$cell"; then
    status=1
  else
    case $cell in
      7.4-nts) run_in_chroot "$cell" "$cache/chroot-bullseye" 7.4 ;;
      8.4-nts) run_in_chroot "$cell" "$cache/chroot-trixie" 8.4 ;;
      8.5-nts|8.6-nts) run_in_chroot "$cell" "$cache/chroot-sid" "${cell%-nts}" ;;
      *) run_built "$cell" ;;
    esac
  fi
  line=$(tail -n 1 "$cache/last-$cell.log" 2>/dev/null || true)
  if [ "$status" -ne 0 ] || ! echo "$line" | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
    line="0 passed, 1 failed, 0 skipped"
  fi
  rm -f "$cache/last-$cell.log"
  echo "$cell $line $(( $(date +%s) - start ))" | tr -d ',' | awk '{print $1, $2, $4, $6, $8}' >>"$results"
}

# Cold start: the chroots (mostly downloading) are made in the background
# while PHP builds (mostly compiling) in the foreground; then the cells run
# one after the other.
sh scripts/deps.sh debootstrap curl xz-utils gcc g++ make pkg-config libffi-dev autoconf
prep_start=$(date +%s)
(
  for cell in $cells; do
    case $cell in *-nts) prepare "$cell" >"$cache/prepare-$cell.log" 2>&1 || true ;; esac
  done
) &
bg=$!
for cell in $cells; do
  case $cell in *-zts*|*-asan) prepare "$cell" || true ;; esac
done
wait "$bg" || true
for cell in $cells; do
  if [ -f "$cache/prepare-$cell.log" ]; then
    cat "$cache/prepare-$cell.log"
    rm -f "$cache/prepare-$cell.log"
  fi
done
say "environments ready in $(( $(date +%s) - prep_start )) s"
[ "$prepare_only" -eq 1 ] && exit 0

for cell in $cells; do
  run_cell "$cell"
done

if [ -n "$counts" ]; then
  cat "$results" >>"$counts"
fi
echo
echo "== matrix"
printf '%-16s %7s %7s %8s %9s\n' cell passed failed skipped seconds
while read -r c p f s t; do
  printf '%-16s %7s %7s %8s %9s\n' "$c" "$p" "$f" "$s" "$t"
done <"$results"
awk '{f += $3} END {exit (f > 0)}' "$results"
