--TEST--
Copy paths are crash-safe: a thread that unmaps and protects memory in a loop while the process dumps does not crash it (write(2) and /proc/self/mem, whole and resident)
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('cc', 'a C compiler to build the helper thread');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$preload = rdump_test_build_preload($dir, 'unmapper', ['-pthread']);

$code = 'for ($i = 0; $i < $argv[2]; $i++) { if (!rdump_dump("$argv[1]/d$i.rdump")) { echo "dump $i failed\n"; } } echo "alive\n";';
foreach (['0', '1'] as $safe) {
    foreach (['0', '1'] as $resident) {
        $cmd = array_merge(rdump_test_php(), ['-d', "rdump.safe_read=$safe", '-d', "rdump.resident_only=$resident",
            '-r', $code, $dir, '15']);
        $env = rdump_test_env();
        $env['LD_PRELOAD'] = $preload;
        list($rc, $out, $err) = rdump_test_run($cmd, $env);
        $valid = 0;
        foreach (glob("$dir/d*.rdump") as $f) {
            $valid += rdump_test_inspect($f)[0] === 0;
            unlink($f);
        }
        printf("safe_read=%s resident_only=%s: exit %d, %s, %d valid dumps\n", $safe, $resident, $rc, trim($out), $valid);
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
safe_read=0 resident_only=0: exit 0, alive, 15 valid dumps
safe_read=0 resident_only=1: exit 0, alive, 15 valid dumps
safe_read=1 resident_only=0: exit 0, alive, 15 valid dumps
safe_read=1 resident_only=1: exit 0, alive, 15 valid dumps
