--TEST--
Resident-only capture on a kernel without PAGEMAP_SCAN (before 6.7; emulated by a seccomp filter): pagemap is read instead, and every present page is still captured
--SKIPIF--
<?php
if (trim((string)shell_exec('command -v cc')) === '') die('skip needs a C compiler to build the preloaded helper');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir('noscan');
list($rc, $out, $err) = rdump_test_run(['cc', '-shared', '-fPIC', '-O1', '-o', "$dir/noscan.so", __DIR__ . '/helpers/noscan.c']);
if ($rc !== 0) die("helper build failed: $err");

/* 5 MiB whose every 4 KiB starts with its own numbered marker, written in
 * place; the child checks that the filter is in force, then dumps. */
$code = <<<'PHP'
$keep = str_repeat('n', 5 << 20);
for ($i = 0; $i < 1280; $i++) {
    $mark = sprintf('PAGE-%05d-', $i);
    for ($k = 0; $k < 11; $k++) { $keep[$i * 4096 + $k] = $mark[$k]; }
}
preg_match('/^Seccomp:\s+(\d)/m', file_get_contents('/proc/self/status'), $m);
echo "seccomp filter: ", $m[1] === '2' ? 'yes' : 'no', "\n";
var_dump(rdump_dump($argv[1]));
PHP;
$env = rdump_test_env();
$env['LD_PRELOAD'] = "$dir/noscan.so";
$f = "$dir/n.rdump";
list($rc, $out, $err) = rdump_test_run(array_merge(rdump_test_php(), ['-r', $code, $f]), $env);
echo $out, $err;
$d = rdump_test_load($f);
preg_match_all('/PAGE-(\d{5})-/', file_get_contents($f), $marks);
$unaligned = 0;
foreach ($d['regions'] as $r) {
    $unaligned += ($r['address'] % 4096) || ($r['size'] % 4096);
}
printf("markers in the dump: %d of 1280, unaligned regions: %d\n", count(array_unique($marks[1])), $unaligned);
rdump_test_rmdir($dir);
?>
--EXPECT--
seccomp filter: yes
bool(true)
markers in the dump: 1280 of 1280, unaligned regions: 0
