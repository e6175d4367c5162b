--TEST--
Resident-only capture of opcache's SHM with a JIT buffer, without the capabilities: mincore looks at the buffer reserved at the top of the SHM as well as at what opcache allocated from the bottom, and the dump holds the JIT's code there
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_php(80000, PHP_INT_MAX, 'the JIT came with PHP 8.0');
rdump_skip_unless_opcache();
rdump_skip_unless_command('strace', 'strace to see what mincore looks at');
$probe = array_merge(rdump_test_php_n(), rdump_test_opcache(), ['-d', 'opcache.enable_cli=1', '-d', 'opcache.jit=tracing',
    '-d', 'opcache.jit_buffer_size=32M', '-r', 'echo (int)!empty(opcache_get_status(false)["jit"]["on"]);']);
if (rdump_test_run($probe)[1] !== '1') die('skip this build has no JIT');
?>
--INI--
memory_limit=-1
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$code = <<<'PHP'
function sum($n) { $s = 0; for ($i = 0; $i < $n; $i++) { $s += $i * 2; } return $s; }
for ($k = 0; $k < 200; $k++) { sum(1000); }
echo json_encode(['ok' => rdump_dump($argv[1]), 'jit' => opcache_get_status(false)['jit']['buffer_size']]);
PHP;
$opcache = array_merge(rdump_test_opcache(), ['-d', 'opcache.enable_cli=1', '-d', 'opcache.memory_consumption=256',
    '-d', 'opcache.jit=tracing', '-d', 'opcache.jit_buffer_size=32M']);
$f = "$dir/j.rdump";
$cmd = rdump_test_unprivileged(array_merge(['strace', '-f', '-qq', '-o', "$dir/trace", '-e', 'trace=mincore'],
    rdump_test_php(), $opcache, ['-r', $code, $f]));
list($rc, $out, $err) = rdump_test_run($cmd, rdump_test_env());
$r = json_decode($out, true) ?: die("child: $out $err");
echo "dump ", var_export($r['ok'], true), "\n";

/* The JIT buffer is the SHM's executable part (opcache maps it so). */
$dump = rdump_test_load($f);
$jit = null;
foreach ($dump['memory_map'] as $m) {
    if (!$m['private'] && $m['exec'] && strpos($m['name'], '/dev/zero') === 0) {
        $jit = [hexdec($m['begin']), hexdec($m['end'])];
    }
}
$jit or die("no executable SHM in the map\n");
printf("JIT buffer in the map: %d MiB\n", ($jit[1] - $jit[0]) >> 20);
$code_bytes = 0;
foreach ($dump['regions'] as $region) {
    if ($region['address'] >= $jit[0] && $region['address'] < $jit[1]) {
        $code_bytes += $region['size'];
    }
}
printf("JIT code captured: %s\n", var_export($code_bytes > 0, true));
$looked = 0;
preg_match_all('/^\d+\s+mincore\(0x[0-9a-f]+, (\d+),.* = 0$/m', rdump_test_strace("$dir/trace"), $m);
foreach ($m[1] as $len) {
    $looked += (int)$len;
}
/* The 32 MiB buffer and what opcache allocated, not the rest of 256 MiB. */
printf("mincore looked at the buffer: %s, at under 64 MiB: %s\n", var_export($looked >= $jit[1] - $jit[0], true),
    var_export($looked < 64 << 20, true));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
dump true
JIT buffer in the map: 32 MiB
JIT code captured: true
mincore looked at the buffer: true, at under 64 MiB: true
