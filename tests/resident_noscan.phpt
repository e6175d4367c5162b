--TEST--
Resident-only capture on a kernel without PAGEMAP_SCAN (before 6.7; emulated by a seccomp filter): pagemap is read instead, and every present page is still captured
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('cc', 'a C compiler to build the preloaded helper');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$preload = rdump_test_build_preload($dir, 'deny');

/* The child holds 5 MiB of numbered page markers, checks that the filter
 * is in force, then dumps. */
$code = <<<'PHP'
require $argv[2];
$keep = rdump_test_page_markers(1280);
preg_match('/^Seccomp:\s+(\d)/m', file_get_contents('/proc/self/status'), $m);
echo "seccomp filter: ", $m[1] === '2' ? 'yes' : 'no', "\n";
var_dump(rdump_dump($argv[1]));
PHP;
$env = rdump_test_env();
$env['LD_PRELOAD'] = $preload;
$env['RDUMP_TEST_DENY'] = 'ioctl:1=0xC0606610:ENOTTY'; /* PAGEMAP_SCAN */
$f = "$dir/n.rdump";
list($rc, $out, $err) = rdump_test_run(array_merge(rdump_test_php(), ['-r', $code, $f, __DIR__ . '/rdump_test.inc']), $env);
echo $out, $err;
$d = rdump_test_load($f);
$unaligned = 0;
foreach ($d['regions'] as $r) {
    $unaligned += ($r['address'] % 4096) || ($r['size'] % 4096);
}
printf("markers in the dump: %d of 1280, unaligned regions: %d\n", rdump_test_count_page_markers($f), $unaligned);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
seccomp filter: yes
bool(true)
markers in the dump: 1280 of 1280, unaligned regions: 0
