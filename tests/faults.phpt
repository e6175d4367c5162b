--TEST--
Faults: SIGKILL midway through a large dump, no free descriptor, a tight address-space limit, and concurrent dumps to one path; the worker survives what it can, and the final path only ever holds a whole dump
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('prlimit', 'prlimit (util-linux)');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();

/* A child that reports "ready <pid> <VmSize KiB>", waits for a line on
 * stdin, then runs $then with $argv[1] = $path. Returns [process, pipes,
 * pid, lowest free descriptor number of the child, VmSize KiB]. */
function child_waiting(string $then, string $path, array $ini = []): array
{
    $code = 'preg_match("/^VmSize:\\s+(\\d+)/m", file_get_contents("/proc/self/status"), $m);'
        . ' echo "ready ", getmypid(), " ", $m[1], "\n"; fgets(STDIN); ' . $then;
    $cmd = rdump_test_php();
    foreach ($ini + ['display_errors' => '1', 'memory_limit' => '-1'] as $k => $v) {
        array_push($cmd, '-d', "$k=$v");
    }
    $cmd = array_merge($cmd, ['-r', $code, $path]);
    $p = proc_open('exec ' . implode(' ', array_map('escapeshellarg', $cmd)),
        [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    list(, $pid, $vmsize) = explode(' ', trim(fgets($pipes[1])));
    /* With RLIMIT_NOFILE at the lowest free number, every new descriptor
     * fails with EMFILE (those already open above it stay usable). */
    $used = array_map('intval', array_diff(scandir("/proc/$pid/fd"), ['.', '..']));
    for ($free = 0; in_array($free, $used, true); $free++);
    return [$p, $pipes, (int)$pid, $free, (int)$vmsize];
}
function finish($p, array $pipes): array
{
    fclose($pipes[0]);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    return [proc_close($p), $out];
}

echo "-- SIGKILL while a 600 MiB dump is being written\n";
list($p, $pipes, $pid) = child_waiting('$h = []; for ($i = 0; $i < 600 * 256; $i++) { $h[] = str_repeat(pack("N", $i), 1000); }'
    . ' echo "built\n"; rdump_dump($argv[1]);', "$dir/big.rdump");
fwrite($pipes[0], "go\n");
fgets($pipes[1]);
for ($i = 0; $i < 400 && !glob("$dir/big.rdump.tmp-*"); $i++) {
    usleep(5000);
}
posix_kill_or_shell($pid, 9);
list($rc) = finish($p, $pipes);
clearstatcache();
echo "killed: ", $rc === 137 || $rc === -1 || $rc === 9 ? 'yes' : "exit $rc", "; at the final path: ",
    file_exists("$dir/big.rdump") ? 'a file' : 'nothing', "; a temporary file left: ",
    count(glob("$dir/big.rdump.tmp-*")) === 1 ? 'yes (never a dump)' : 'no', "\n";
array_map('unlink', glob("$dir/big.rdump.tmp-*"));

echo "-- no free file descriptor (RLIMIT_NOFILE at the current count)\n";
list($p, $pipes, $pid, $nofile) = child_waiting('var_dump(rdump_dump($argv[1])); var_dump(file_exists($argv[1])); echo "alive\n";',
    "$dir/nf.rdump");
exec("prlimit --pid $pid --nofile=$nofile:$nofile");
fwrite($pipes[0], "go\n");
list($rc, $out) = finish($p, $pipes);
echo "exit $rc\n", preg_replace("~'[^']*'~", "'PATH'", $out);

echo "-- a tight address-space limit (RLIMIT_AS 8 MiB above current use), both copy paths\n";
foreach (['0', '1'] as $safe) {
    list($p, $pipes, $pid, , $vmsize) = child_waiting(
        '$ok = rdump_dump($argv[1]); echo "dump: ", $ok ? "written" : "failed cleanly", ", alive\n";',
        "$dir/as.rdump", ['rdump.safe_read' => $safe]);
    $limit = ($vmsize + 8192) * 1024;
    exec("prlimit --pid $pid --as=$limit:$limit");
    fwrite($pipes[0], "go\n");
    list($rc, $out) = finish($p, $pipes);
    $written = strpos($out, 'written') !== false;
    $valid = !$written || rdump_test_inspect("$dir/as.rdump")[0] === 0;
    echo "safe_read=$safe: exit $rc, ", strpos($out, 'alive') !== false ? 'alive' : 'dead',
        ", ", $written ? 'written' : (strpos($out, 'failed cleanly') !== false ? 'failed cleanly' : 'crashed'),
        $valid ? '' : ' but INVALID', "\n";
    @unlink("$dir/as.rdump");
}

echo "-- 4 processes dumping to one path, 10 times each, at once\n";
$procs = [];
for ($i = 0; $i < 4; $i++) {
    $cmd = array_merge(rdump_test_php(), ['-r', '$n = 0; for ($i = 0; $i < 10; $i++) { $n += rdump_dump($argv[1]); } echo getmypid(), " ", $n, "\n";', "$dir/same.rdump"]);
    $procs[] = proc_open(implode(' ', array_map('escapeshellarg', $cmd)), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pp);
    $pipes_all[] = $pp;
}
$pids = [];
$ok = 0;
foreach ($procs as $i => $p) {
    list($cpid, $n) = explode(' ', trim(stream_get_contents($pipes_all[$i][1])));
    $pids[] = (int)$cpid;
    $ok += (int)$n;
    proc_close($p);
}
$d = rdump_test_load("$dir/same.rdump");
echo "dumps written: $ok of 40; the file is whole and valid; its pid is one of the writers: ",
    var_export(in_array($d['pid'], $pids, true), true), "; temporary files left: ", count(glob("$dir/same.rdump.tmp-*")), "\n";

/* The directory holds nothing unexpected. */
var_dump(rdump_test_ls($dir));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
-- SIGKILL while a 600 MiB dump is being written
killed: yes; at the final path: nothing; a temporary file left: yes (never a dump)
-- no free file descriptor (RLIMIT_NOFILE at the current count)
exit 0

Warning: rdump_dump(): Cannot write dump to 'PATH': cannot create temporary file: Too many open files in Command line code on line 1
bool(false)
bool(false)
alive
-- a tight address-space limit (RLIMIT_AS 8 MiB above current use), both copy paths
safe_read=0: exit 0, alive, %r(written|failed cleanly)%r
safe_read=1: exit 0, alive, %r(written|failed cleanly)%r
-- 4 processes dumping to one path, 10 times each, at once
dumps written: 40 of 40; the file is whole and valid; its pid is one of the writers: true; temporary files left: 0
array(1) {
  [0]=>
  string(10) "same.rdump"
}
