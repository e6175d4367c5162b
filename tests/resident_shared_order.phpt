--TEST--
Resident-only capture of shared memory below every other mapping (where opcache puts its SHM on x86-64), unprivileged: the helper thread turns to that memory's mincore as soon as smaps is past it and reads the rest of smaps afterwards, so the dump, which writes that mapping first, does not do the mincore alone; every page is still captured
--SKIPIF--
<?php
if (trim((string)shell_exec('command -v cc')) === '') die('skip needs a C compiler to build the preloaded helper');
if (trim((string)shell_exec('command -v strace')) === '') die('skip needs strace to see which thread does what');
?>
--INI--
memory_limit=-1
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir('shared_order');
$preload = rdump_test_build_preload($dir, 'shared_writer');

$env = rdump_test_env();
$env['RDUMP_TEST_SHARED_MIB'] = '256';
$env['RDUMP_TEST_SHARED_LOW'] = '1';
$f = "$dir/s.rdump";
$cmd = rdump_test_unprivileged(array_merge(['strace', '-f', '-qq', '-o', "$dir/trace",
    '-e', 'trace=clone,clone3,openat,read,mincore', '-E', "LD_PRELOAD=$preload"], rdump_test_php(),
    ['-r', 'var_dump(rdump_dump($argv[1]));', $f]));
list($rc, $out, $err) = rdump_test_run($cmd, $env);
echo trim($out), "\n", $err;

$trace = rdump_test_strace("$dir/trace");
preg_match('/^(\d+)\s+clone3?\(.*CLONE_THREAD.*= (\d+)$/m', $trace, $m) or die("no helper thread\n");
list(, $caller, $helper) = $m;
/* The helper's calls in order: which are smaps reads, which mincore. */
$smaps_fd = null;
$seen = [];
foreach (explode("\n", $trace) as $line) {
    if (!preg_match('/^(\d+)\s+(\w+)\((.*) = (-?\d+)/', $line, $c)) {
        continue;
    }
    list(, $tid, $call, $args, $ret) = $c;
    if ($tid === $caller && $call === 'mincore') {
        $seen[] = 'caller mincore';
    }
    if ($tid !== $helper) {
        continue;
    }
    if ($call === 'openat' && strpos($args, '"/proc/self/smaps"') !== false) {
        $smaps_fd = $ret;
    } elseif ($call === 'read' && $smaps_fd !== null && strpos($args, "$smaps_fd,") === 0 && $ret > 0) {
        $seen[] = 'smaps';
    } elseif ($call === 'mincore') {
        $seen[] = 'mincore';
    }
}
$first_mincore = array_search('mincore', $seen, true);
$last_smaps = array_search('smaps', array_reverse($seen, true), true);
printf("helper: smaps read %s, mincore %s\n", $last_smaps !== false ? 'yes' : 'no',
    $first_mincore !== false ? 'yes' : 'no');
printf("helper reads smaps after its first mincore: %s\n",
    $first_mincore !== false && $last_smaps !== false && $last_smaps > $first_mincore ? 'yes' : 'no');
printf("the dump itself helps with mincore: %s\n", in_array('caller mincore', $seen, true) ? 'yes' : 'no');
printf("markers: %d of %d\n", rdump_test_count_page_markers($f, 'SHRD'), 256 * 128);
rdump_test_rmdir($dir);
?>
--EXPECT--
bool(true)
helper: smaps read yes, mincore yes
helper reads smaps after its first mincore: yes
the dump itself helps with mincore: yes
markers: 32768 of 32768
