#!/bin/sh
# Packaging checks, run by scripts/test.sh:
#  1. package.xml lists every tracked source, header, stub, test and doc
#     file with the right role, and nothing that is not in the tree;
#  2. the version in php_rdump.h, package.xml, composer.json ("version" in
#     its "extra"."rdump" block) and the newest CHANGELOG.md entry agree;
#  3. composer.json is what Composer and PIE accept (see below why not
#     composer validate);
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

# package.xml read with an XML parser: PHP's DOM, from php-xml, which pecl
# (check 4) needs too. Each <file> with its path (the names of the <dir>s
# it sits in, then its own) and role; the release and API versions.
sh scripts/deps.sh php-pear php-xml >/dev/null
dom=""
php -n -r 'exit(class_exists("DOMDocument") ? 0 : 1);' || dom="-d extension=dom"
# shellcheck disable=SC2086 # $dom is one option or none
if ! php -n $dom -d display_errors=stderr >"$work/pkg" 2>"$work/pkg.err" <<'PHP'
<?php
libxml_use_internal_errors(true);
$d = new DOMDocument();
if (!$d->load('package.xml')) {
    foreach (libxml_get_errors() as $e) {
        file_put_contents('php://stderr', sprintf("package.xml:%d: %s\n", $e->line, trim($e->message)));
    }
    exit(1);
}
$x = new DOMXPath($d);
$x->registerNamespace('p', 'http://pear.php.net/dtd/package-2.0');
foreach ($x->query('/p:package/p:contents//p:file') as $f) {
    $path = [$f->getAttribute('name')];
    for ($n = $f->parentNode; $n instanceof DOMElement && $n->localName === 'dir'; $n = $n->parentNode) {
        array_unshift($path, $n->getAttribute('name'));
    }
    $path = implode('/', array_filter(array_map(fn($p) => trim($p, '/'), $path), 'strlen'));
    echo 'file ', $path, ' ', $f->getAttribute('role'), "\n";
}
foreach (['release', 'api'] as $k) {
    echo $k, ' ', trim($x->evaluate("string(/p:package/p:version/p:$k)")), "\n";
}
PHP
then
  bad "package.xml could not be read" "$(tr '\n' ';' <"$work/pkg.err")"
fi

# 1. The file list: what git tracks, by role, against package.xml.
git ls-files | while read -r f; do
  case $f in
    LICENSE|README.md|CHANGELOG.md|docs/*.md|tools/rdump-inspect.php) echo "$f doc" ;;
    tests/*) echo "$f test" ;;
    config.m4|config.w32|rdump.stub.php|*.c|*.h)
      case $f in */*) ;; *) echo "$f src" ;; esac ;;
  esac
done | sort >"$work/want"
sed -n 's/^file //p' "$work/pkg" | sort >"$work/have"
if cmp -s "$work/want" "$work/have"; then
  ok "package.xml lists the $(wc -l <"$work/want") tracked package files with their roles"
else
  bad "package.xml's file list differs from the tracked files (< missing from package.xml, > listed but not tracked)" \
    "$(diff "$work/want" "$work/have" | grep '^[<>]' | tr '\n' ';')"
fi

# 2. One version everywhere.
v_h=$(sed -n 's/^#define PHP_RDUMP_VERSION "\(.*\)"$/\1/p' php_rdump.h)
v_pkg=$(sed -n 's/^release //p' "$work/pkg")
v_api=$(sed -n 's/^api //p' "$work/pkg")
v_comp=$(php -n -r '$j = json_decode(file_get_contents("composer.json"), true); echo $j["extra"]["rdump"]["version"] ?? "";' 2>/dev/null \
  || sed -n 's/^ *"version": "\(.*\)"$/\1/p' composer.json)
v_log=$(sed -n 's/^## \[\{0,1\}\([0-9][0-9.a-z-]*\)\]\{0,1\}.*/\1/p' CHANGELOG.md | head -n 1)
if [ -n "$v_h" ] && [ "$v_h" = "$v_pkg" ] && [ "$v_h" = "$v_api" ] && [ "$v_h" = "$v_comp" ] && [ "$v_h" = "$v_log" ]; then
  ok "version $v_h in php_rdump.h, package.xml, composer.json and CHANGELOG.md"
else
  bad "versions disagree" "php_rdump.h=$v_h package.xml=$v_pkg/$v_api composer.json=$v_comp CHANGELOG.md=$v_log"
fi

# 3. composer.json for PIE. Its "php-ext" block is known to Composer from
#    2.7 on; Debian bookworm's composer (2.5) rejects it under --strict as
#    an unknown property. So composer.json is checked here against what
#    Composer 2.7's strict schema and PIE's php-ext schema require of it:
#    it parses, has only the keys Composer knows, a valid package name, a
#    description, type php-ext, a license, the PHP requirement, and a
#    php-ext block naming this extension with only PIE's keys, well-typed.
if php -n >"$work/composer.out" 2>&1 <<'PHP'
<?php
$err = [];
$j = json_decode(file_get_contents('composer.json'), true);
if (!is_array($j)) {
    echo 'composer.json is not a JSON object: ', json_last_error_msg(), "\n";
    exit(1);
}
$known = ['name', 'description', 'license', 'type', 'abandoned', 'version', 'default-branch',
    'non-feature-branches', 'keywords', 'readme', 'time', 'authors', 'homepage', 'support', 'funding',
    'source', 'dist', '_comment', 'require', 'require-dev', 'replace', 'conflict', 'provide', 'suggest',
    'repositories', 'minimum-stability', 'prefer-stable', 'autoload', 'autoload-dev', 'target-dir',
    'include-path', 'bin', 'archive', 'config', 'extra', 'scripts', 'scripts-descriptions', 'php-ext'];
foreach (array_diff(array_keys($j), $known) as $k) $err[] = "unknown key \"$k\"";
if (!preg_match('{^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$}D', $j['name'] ?? ''))
    $err[] = 'name is not a valid vendor/package name';
if (!is_string($j['description'] ?? null) || $j['description'] === '') $err[] = 'no description';
if (($j['type'] ?? '') !== 'php-ext') $err[] = 'type is not php-ext';
$lic = (array)($j['license'] ?? []);
if (!$lic || array_filter($lic, fn($l) => !is_string($l) || $l === '')) $err[] = 'no license';
if (!is_string($j['require']['php'] ?? null)) $err[] = 'no "require": {"php": ...}';
foreach ((array)($j['keywords'] ?? []) as $k) if (!is_string($k)) $err[] = 'a keyword is not a string';
$ext = $j['php-ext'] ?? null;
if (!is_array($ext)) {
    $err[] = 'no php-ext block';
    $ext = [];
}
$extKeys = ['extension-name', 'priority', 'support-zts', 'support-nts', 'build-path',
    'override-download-url-method', 'os-families', 'os-families-exclude', 'configure-options'];
foreach (array_diff(array_keys($ext), $extKeys) as $k) $err[] = "unknown key php-ext.$k";
if (preg_replace('/^ext-/', '', $ext['extension-name'] ?? '') !== 'rdump') $err[] = 'php-ext.extension-name is not rdump';
foreach (['support-zts', 'support-nts'] as $k)
    if (isset($ext[$k]) && !is_bool($ext[$k])) $err[] = "php-ext.$k is not a boolean";
if (isset($ext['priority']) && (!is_int($ext['priority']) || $ext['priority'] < 10 || $ext['priority'] > 99))
    $err[] = 'php-ext.priority is not an integer in 10-99';
if (isset($ext['os-families'], $ext['os-families-exclude'])) $err[] = 'both os-families and os-families-exclude';
foreach (['os-families', 'os-families-exclude'] as $k) {
    if (!isset($ext[$k])) continue;
    if (!is_array($ext[$k]) || !$ext[$k]) $err[] = "php-ext.$k is not a non-empty list";
    foreach ((array)$ext[$k] as $os)
        if (!in_array($os, ['windows', 'bsd', 'darwin', 'solaris', 'linux', 'unknown'], true)) $err[] = "php-ext.$k: unknown OS family";
}
foreach ((array)($ext['configure-options'] ?? []) as $i => $o) {
    if (!is_array($o) || !is_string($o['name'] ?? null) || !preg_match('/^[a-zA-Z0-9][a-zA-Z0-9-_]*$/D', $o['name']))
        $err[] = "php-ext.configure-options[$i] has no valid name";
    foreach (array_diff(array_keys((array)$o), ['name', 'needs-value', 'description']) as $k)
        $err[] = "unknown key php-ext.configure-options[$i].$k";
    if (isset($o['needs-value']) && !is_bool($o['needs-value'])) $err[] = "php-ext.configure-options[$i].needs-value is not a boolean";
    if (isset($o['description']) && !is_string($o['description'])) $err[] = "php-ext.configure-options[$i].description is not a string";
}
echo implode("\n", $err), $err ? "\n" : '';
exit($err ? 1 : 0);
PHP
then
  ok "composer.json: parses, Composer's known keys, name, description, type php-ext, license, require.php, PIE's php-ext block"
else
  bad "composer.json is not valid for Composer and PIE" "$(tr '\n' ';' <"$work/composer.out")"
fi

# 4. The PECL tarball, built and used on its own.
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
