--TEST--
Resident-only capture of a sparse 16 GiB reservation: exactly the three pages written to are captured, each a region of its own
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_ffi('to call mmap()');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* A child reserves 16 GiB (MAP_NORESERVE: nothing is committed; valgrind
 * refuses much more), as runtimes with guard regions or arenas do, writes
 * one page at its start, one 10 GiB in and one at its end, and dumps. */
$code = <<<'PHP'
$c = FFI::cdef('long mmap(long, size_t, int, int, int, long); long memset(long, int, size_t);');
$size = 16 << 30;
$p = $c->mmap(0, $size, 3, 0x4022, -1, 0); /* PRIVATE|ANONYMOUS|NORESERVE */
if ($p === -1) { die("mmap failed\n"); }
foreach ([0, 10 << 30, $size - 4096] as $i => $off) { $c->memset($p + $off, ord('A') + $i, 4096); }
echo $p, "\n";
var_dump(rdump_dump($argv[1]));
PHP;
$f = "$dir/sparse.rdump";
list($rc, $out, $err) = rdump_test_run(array_merge(rdump_test_php(), rdump_test_ffi(), ['-r', $code, $f]));
echo $err;
if (strpos($out, 'bool(true)') === false) {
    echo "child: $out";
}
$addr = (int)strtok($out, "\n");
$d = rdump_test_load($f);
$size = 16 << 30;
$inside = [];
foreach ($d['regions'] as $r) {
    if ($r['address'] >= $addr && $r['address'] < $addr + $size) {
        $inside[] = sprintf('+%d GiB %s, %d bytes', intdiv($r['address'] - $addr, 1 << 30),
            ($r['address'] - $addr) % (1 << 30) === 0 ? 'exactly' : sprintf('and %d bytes', ($r['address'] - $addr) % (1 << 30)),
            $r['size']);
    }
}
echo implode("\n", $inside), "\n";
printf("dump file under 64 MiB: %s\n", var_export(filesize($f) < (64 << 20), true));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
+0 GiB exactly, 4096 bytes
+10 GiB exactly, 4096 bytes
+15 GiB and 1073737728 bytes, 4096 bytes
dump file under 64 MiB: true
