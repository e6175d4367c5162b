--TEST--
Flush-behind decides when the dump reaches its first 16 MiB: a smaller dump never reads the cgroup files, a larger one does (unless rdump.flush_behind=0); forced on without a memory limit, the cap is 64 MiB: a 40 MiB dump never waits for the disk, a 100 MiB one does
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_if_asan('under AddressSanitizer even a 1 MiB heap makes a dump of more than 16 MiB');
rdump_skip_unless_command('strace', 'strace to see which files a dump opens');
if (preg_match('/^memory cgroup limited => yes/m', rdump_test_run(array_merge(rdump_test_php(), ['--ri', 'rdump']))[1])) {
    die('skip the memory cgroup is limited here: the cap follows the room left under it');
}
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$code = '$heap = []; for ($i = 0; $i < (int)$argv[2] * 256; $i++) { $heap[] = str_repeat(pack("N", $i), 1000); }'
    . ' var_dump(rdump_dump($argv[1]));';
foreach ([['auto', 1], ['auto', 40], ['0', 40], ['1', 40], ['1', 100]] as list($setting, $mib)) {
    $f = "$dir/f.rdump";
    $cmd = array_merge(['strace', '-f', '-qq', '-o', "$dir/trace", '-e', 'trace=openat,sync_file_range'],
        rdump_test_php(), ['-d', 'memory_limit=-1', '-d', "rdump.flush_behind=$setting", '-r', $code, $f, (string)$mib]);
    list($rc, $out, $err) = rdump_test_run($cmd);
    $trace = rdump_test_strace("$dir/trace");
    printf("flush_behind=%s, %d MiB heap: %s dump of %s; /proc/self/cgroup read: %s; writeback started: %s,"
        . " waited for: %s\n%s", $setting, $mib, trim($out),
        filesize($f) >= (16 << 20) ? 'more than 16 MiB' : 'less than 16 MiB',
        strpos($trace, '"/proc/self/cgroup"') !== false ? 'yes' : 'no',
        preg_match('/sync_file_range\(\d+, \d+, \d+, SYNC_FILE_RANGE_WRITE\)/', $trace) ? 'yes' : 'no',
        strpos($trace, 'SYNC_FILE_RANGE_WAIT_AFTER') !== false ? 'yes' : 'no', $err);
    unlink($f);
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
flush_behind=auto, 1 MiB heap: bool(true) dump of less than 16 MiB; /proc/self/cgroup read: no; writeback started: no, waited for: no
flush_behind=auto, 40 MiB heap: bool(true) dump of more than 16 MiB; /proc/self/cgroup read: yes; writeback started: no, waited for: no
flush_behind=0, 40 MiB heap: bool(true) dump of more than 16 MiB; /proc/self/cgroup read: no; writeback started: no, waited for: no
flush_behind=1, 40 MiB heap: bool(true) dump of more than 16 MiB; /proc/self/cgroup read: yes; writeback started: yes, waited for: no
flush_behind=1, 100 MiB heap: bool(true) dump of more than 16 MiB; /proc/self/cgroup read: yes; writeback started: yes, waited for: yes
