--TEST--
MADV_DONTDUMP mappings are listed in the memory map but their bytes are not written; rdump.include_dontdump=1 captures them
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_ffi('to call madvise()');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* A child maps 1 MiB, fills it with 'S' from C (no PHP string holds those
 * bytes), marks it MADV_DONTDUMP (16) and dumps. */
$code = <<<'PHP'
/* Addresses as plain integers: no pointer CData to convert. */
$c = FFI::cdef('long mmap(long, size_t, int, int, int, long); int madvise(long, size_t, int); long memset(long, int, size_t);');
$size = 1 << 20;
$p = $c->mmap(0, $size, 3, 0x22, -1, 0);
$c->memset($p, ord('S'), $size);
if ($c->madvise($p, $size, 16) !== 0) { die("madvise failed\n"); }
echo $p, "\n";
var_dump(rdump_dump($argv[1]));
PHP;
foreach (['0', '1'] as $include) {
    $f = "$dir/dd$include.rdump";
    $cmd = array_merge(rdump_test_php(), array_merge(rdump_test_ffi(), [
        '-d', "rdump.include_dontdump=$include", '-r', $code, $f]));
    list($rc, $out, $err) = rdump_test_run($cmd);
    $addr = (int)strtok($out, "\n");
    list($rc, $json) = rdump_test_inspect($f, ['--json', '--find=' . str_repeat('S', 4096)]);
    $d = json_decode($json, true);
    $listed = false;
    foreach ($d['memory_map'] as $m) {
        $listed = $listed || (rdump_test_hexdec($m['begin']) <= $addr && $addr + (1 << 20) <= rdump_test_hexdec($m['end']));
    }
    printf("include_dontdump=%s: listed %s, captured %s, bytes found %s\n", $include, var_export($listed, true),
        var_export(rdump_test_region_of($d, $addr) >= 0, true), var_export(count(current($d['finds'])) > 0, true));
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
include_dontdump=0: listed true, captured false, bytes found false
include_dontdump=1: listed true, captured true, bytes found true
