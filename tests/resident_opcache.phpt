--TEST--
Resident-only capture with opcache: the dump is far smaller than the SHM, and the dump neither grows RSS nor faults in untouched memory
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_opcache();
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* In a child with a 512 MiB opcache SHM (large next to the process's own
 * memory even in a sanitizer build, whose allocator holds tens of MiB): RSS before, the peak during
 * (VmHWM, reset through clear_refs), the dump's size. */
$code = <<<'PHP'
$heap = [];
for ($i = 0; $i < 2000; $i++) { $heap[] = str_repeat(chr($i & 255), 4000); }
$st = function ($f) { preg_match("/^$f:\s+(\d+) kB/m", file_get_contents('/proc/self/status'), $m); return $m[1] * 1024; };
/* Measure once first, so that compiling the two patterns is not counted. */
$st('VmRSS');
$st('VmHWM');
file_put_contents('/proc/self/clear_refs', '5');
$before = $st('VmRSS');
$ok = rdump_dump($argv[1]);
echo json_encode(['ok' => $ok, 'opcache' => (bool)opcache_get_status(false), 'growth' => $st('VmHWM') - $before,
    'after' => $st('VmRSS') - $before, 'size' => filesize($argv[1])]);
PHP;
$opcache = array_merge(rdump_test_opcache(), ['-d', 'opcache.enable_cli=1', '-d', 'opcache.memory_consumption=512']);
foreach (['1', '0'] as $resident) {
    $cmd = array_merge(rdump_test_php(), $opcache, ['-d', "rdump.resident_only=$resident", '-r', $code, "$dir/o$resident.rdump"]);
    /* The Zend allocator on, as in production: with it off (valgrind and
     * sanitizer runs) the measuring code's own mallocs would show as RSS. */
    list($rc, $out, $err) = rdump_test_run($cmd, rdump_test_env());
    $r[$resident] = json_decode($out, true) ?: die("child: $out $err");
    list($rc) = rdump_test_inspect("$dir/o$resident.rdump");
    echo "resident_only=$resident: ok ", var_export($r[$resident]['ok'], true), ", opcache ",
        var_export($r[$resident]['opcache'], true), ", valid ", var_export($rc === 0, true), "\n";
}
/* Whole mappings include the 512 MiB SHM; resident pages do not. */
var_dump($r['0']['size'] > 512 << 20);
var_dump($r['1']['size'] < 128 << 20);
var_dump($r['1']['size'] * 4 < $r['0']['size']);
/* RSS: under 1 MiB of growth at the peak and after. */
var_dump($r['1']['growth'] < 1 << 20, $r['1']['after'] < 1 << 20);
/* Whole-mapping capture reads every SHM page and so grows RSS by ~512M. */
var_dump($r['0']['growth'] > 256 << 20);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
resident_only=1: ok true, opcache true, valid true
resident_only=0: ok true, opcache true, valid true
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
