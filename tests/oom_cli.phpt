--TEST--
OOM dump: a CLI process that exhausts memory_limit writes oom-<pid>.rdump and its marker, and says so next to the fatal error
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$code = '$keep = "live-" . $argv[1]; echo getmypid(), "\n"; rdump_test_eat();';
$id = bin2hex(random_bytes(6));
list($rc, $out, $err) = rdump_test_child([
    'rdump.oom_dump' => "$dir/oom-%p.rdump",
    'rdump.oom_dump_marker' => '1',
], $code, [$id]);
$pid = (int)$out;
echo "exit $rc\n";
echo str_replace([(string)$pid, $dir], ['PID', 'DIR'], $out), $err;
var_dump(rdump_test_ls($dir) === ["oom-$pid.rdump", "oom-$pid.rdump.done"]);
list($rc, $json) = rdump_test_inspect("$dir/oom-$pid.rdump", ['--json', "--find=live-$id"]);
$d = json_decode($json, true);
var_dump($rc, $d['pid'] === $pid, count($d['finds']["live-$id"]) > 0);
var_dump(rdump_test_region_of($d, $d['eg_address'], 512) >= 0);
clearstatcache();
var_dump(fileperms("$dir/oom-$pid.rdump.done") & 0777, filesize("$dir/oom-$pid.rdump.done"));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
exit 255
PID

Warning: rdump: memory_limit dump written to 'DIR/oom-PID.rdump' (%s in %d regions) in Command line code on line 1

Fatal error: Allowed memory size of 16777216 bytes exhausted%s(tried to allocate %d bytes) in Command line code on line 1
bool(true)
int(0)
bool(true)
bool(true)
bool(true)
int(384)
int(0)
