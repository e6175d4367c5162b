--TEST--
rdump_dump($path, false, true): a snapshot child writes the dump of the fork's instant; the caller goes on, its output buffers and shutdown functions run once, no zombie is left
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();

/* A child with 32 MiB of heap takes a background dump, then changes its
 * memory (BEFORE goes, AFTER comes) and reports what it sees of the file
 * and of its own children right away; it leaves with output still in an
 * output buffer and a shutdown function registered. */
$code = <<<'PHP'
ob_start();
register_shutdown_function(function () { echo "shutdown function ran\n"; });
echo "buffered output\n";
$heap = [];
for ($i = 0; $i < 32 * 256; $i++) { $heap[] = str_repeat(pack('N', $i), 1000); }
$marker = str_repeat('BEFORE-fork-', 100);
$ok = rdump_dump($argv[1], false, true);
$marker = str_repeat('AFTER-fork-', 100);
echo "returned: ", var_export($ok, true), "\n";
file_put_contents($argv[1] . '.pid', (string)getmypid());
/* Once the file is there, the snapshot child is done: no child of ours
 * may be left as a zombie (the middle child was reaped at once, the
 * snapshot child was never ours). */
for ($i = 0; $i < 600 && !is_file($argv[1]); $i++) { usleep(50000); }
usleep(200000);
$zombies = 0;
foreach (glob('/proc/[0-9]*/stat') as $stat) {
    $s = @file_get_contents($stat);
    /* "pid (comm) state ppid ...", comm may hold anything but the last ")" */
    $f = $s ? explode(' ', substr($s, strrpos($s, ')') + 2)) : [];
    if (count($f) > 1 && $f[0] === 'Z' && (int)$f[1] === getmypid()) { $zombies++; }
}
echo "zombies of the caller: $zombies\n";
PHP;
list($rc, $out, $err) = rdump_test_run(array_merge(rdump_test_php(), ['-r', $code, "$dir/bg.rdump"]));
echo "exit $rc\n", $out, $err;
echo "'buffered output' printed ", substr_count($out, 'buffered output'), " time(s)\n";
echo "'shutdown function ran' printed ", substr_count($out, 'shutdown function ran'), " time(s)\n";

/* The file appears when complete; the snapshot child is then gone (it
 * was never the caller's child: the middle child was reaped at once). */
for ($i = 0; $i < 600 && !is_file("$dir/bg.rdump"); $i++) {
    usleep(50000);
}
$pid = (int)file_get_contents("$dir/bg.rdump.pid");
list(, $json) = rdump_test_inspect("$dir/bg.rdump", ['--json', '--find=BEFORE-fork-BEFORE', '--find=AFTER-fork-AFTER']);
$d = json_decode($json, true);
echo "valid: ", var_export(is_array($d), true), "\n";
echo "pid in the header is the caller's: ", var_export($d['pid'] === $pid, true), "\n";
echo "memory of the fork's instant: ", count($d['finds']['BEFORE-fork-BEFORE']) > 0 ? 'yes' : 'no',
    "; memory from after it: ", count($d['finds']['AFTER-fork-AFTER']) > 0 ? 'yes' : 'no', "\n";
echo "no temporary file left: ", var_export(glob("$dir/*.tmp-*") === [], true), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
exit 0
buffered output
returned: true
zombies of the caller: 0
shutdown function ran
'buffered output' printed 1 time(s)
'shutdown function ran' printed 1 time(s)
valid: true
pid in the header is the caller's: true
memory of the fork's instant: yes; memory from after it: no
no temporary file left: true
