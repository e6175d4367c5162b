--TEST--
OOM dump in the background (rdump.oom_dump_background=1): the worker reports and dies at once; the snapshot child writes the dump of the moment of the error, then its marker
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$code = '$keep = "live-" . $argv[1]; echo getmypid(), "\n"; rdump_test_eat();';
$id = bin2hex(random_bytes(6));
list($rc, $out, $err) = rdump_test_child([
    'rdump.oom_dump' => "$dir/oom-%p.rdump",
    'rdump.oom_dump_marker' => '1',
    'rdump.oom_dump_background' => '1',
], $code, [$id]);
$pid = (int)$out;
echo "exit $rc\n";
echo str_replace([(string)$pid, $dir], ['PID', 'DIR'], $out), $err;
/* The marker comes last, when the dump is complete and in place. */
for ($i = 0; $i < 600 && !is_file("$dir/oom-$pid.rdump.done"); $i++) {
    usleep(50000);
}
var_dump(rdump_test_ls($dir) === ["oom-$pid.rdump", "oom-$pid.rdump.done"]);
list($rc, $json) = rdump_test_inspect("$dir/oom-$pid.rdump", ['--json', "--find=live-$id"]);
$d = json_decode($json, true);
var_dump($rc, $d['pid'] === $pid, count($d['finds']["live-$id"]) > 0);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
exit 255
PID

Warning: rdump: memory_limit dump being written to 'DIR/oom-PID.rdump' in the background (its marker comes when it is complete) in Command line code on line 1

Fatal error: Allowed memory size of 16777216 bytes exhausted%s(tried to allocate %d bytes) in Command line code on line 1
bool(true)
int(0)
bool(true)
bool(true)
