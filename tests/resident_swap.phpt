--TEST--
Resident-only capture keeps swapped-out pages (pagemap bit 62), unlike a present-only filter
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_ffi('to call madvise()');
rdump_skip_unless_swap();
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
rdump_test_swap_start();
/* A child fills 4 MiB with 'W' from C, pushes it out with MADV_PAGEOUT
 * (21), counts the pages pagemap reports swapped, and dumps. */
$code = <<<'PHP'
$c = FFI::cdef('long mmap(long, size_t, int, int, int, long); int madvise(long, size_t, int); long memset(long, int, size_t);');
$size = 4 << 20;
$p = $c->mmap(0, $size, 3, 0x22, -1, 0);
$c->memset($p, ord('W'), $size);
$c->madvise($p, $size, 21);
$pm = fopen('/proc/self/pagemap', 'rb');
fseek($pm, intdiv($p, 4096) * 8);
$swapped = 0;
foreach (unpack('P*', fread($pm, ($size >> 12) * 8)) as $e) { $swapped += ($e >> 62) & 1; }
echo $swapped, " ", $p, "\n";
var_dump(rdump_dump($argv[1]));
PHP;
$cmd = array_merge(rdump_test_php(), array_merge(rdump_test_ffi(), ['-r', $code, "$dir/s.rdump"]));
list($rc, $out) = rdump_test_run($cmd);
list($swapped, $addr) = array_map('intval', explode(' ', strtok($out, "\n")));
echo "pages swapped before the dump: ", $swapped > 0 ? 'some' : 'none', "\n";
list($rc, $json) = rdump_test_inspect("$dir/s.rdump", ['--json', '--find=' . str_repeat('W', 4096)]);
$d = json_decode($json, true);
echo "exit $rc, the bytes found: ", count(current($d['finds'])) > 0 ? 'yes' : 'no', "\n";
/* Every page of the 4 MiB, swapped or not, is inside one region. */
$covered = 0;
for ($a = $addr; $a < $addr + (4 << 20); $a += 4096) {
    $covered += rdump_test_region_of($d, $a, 4096) >= 0;
}
echo "pages captured: $covered of 1024\n";
rdump_test_swap_stop();
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
pages swapped before the dump: some
exit 0, the bytes found: yes
pages captured: 1024 of 1024
