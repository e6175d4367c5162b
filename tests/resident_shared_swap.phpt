--TEST--
Resident-only capture of shared memory swapped out: captured from its shmem file where the process may open /proc/self/map_files; where it may not (an unprivileged worker), read back from swap with MADV_WILLNEED and found by mincore; where that is refused too, the dump says how much it lacks. Holes are never filled
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('cc', 'a C compiler to build the preloaded helper');
rdump_skip_unless_map_files();
if (rdump_test_swap_cgroup_parent() === null) die('skip needs a writable memory cgroup (v1, or v2 with memory.reclaim)');
rdump_skip_unless_swap();
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
rdump_test_swap_start();
$preload = rdump_test_build_preload($dir, 'shared_writer');

/* The writer joins a cgroup of its own, writes a marker on every second
 * page of 8 MiB of shared memory, and stays. The dumping process pushes
 * the cgroup's memory out to swap, reads in its smaps how much of the
 * mapping is swapped out, dumps, and reads it again. */
$code = <<<'PHP'
$at = getenv('RDUMP_TEST_SHARED_AT');
$cg = getenv('RDUMP_TEST_SHARED_CGROUP');
if (file_exists("$cg/memory.force_empty")) {
    file_put_contents("$cg/memory.force_empty", '0');
} else {
    @file_put_contents("$cg/memory.reclaim", '64M');
}
function swapped(string $at): string
{
    $in = false;
    $swap = -1;
    foreach (explode("\n", file_get_contents('/proc/self/smaps')) as $line) {
        if (preg_match('/^([0-9a-f]+)-[0-9a-f]+ /', $line, $m)) {
            $in = ltrim($m[1], '0') === $at;
        } elseif ($in && preg_match('/^Swap:\s+(\d+) kB/', $line, $m)) {
            $swap = (int)$m[1];
        }
    }
    return $swap >= 4096 ? 'every marked page' : "$swap kB";
}
echo "at=$at\n";
echo "swapped out before the dump: ", swapped($at), "\n";
var_dump(rdump_dump($argv[1]));
echo "swapped out after it: ", swapped($at), "\n";
PHP;
$deny = rdump_test_build_preload($dir, 'deny');
foreach (['privileged', 'unprivileged', 'unprivileged, MADV_WILLNEED refused'] as $how) {
    $cg = rdump_test_cgroup(rdump_test_swap_cgroup_parent(), '-' . strtr($how, ', ', '--'));
    $env = rdump_test_env();
    $env['RDUMP_TEST_SHARED_MIB'] = '8';
    $env['RDUMP_TEST_SHARED_CGROUP'] = $cg;
    $env['RDUMP_TEST_DENY'] = 'madvise:2=3:EPERM'; /* MADV_WILLNEED, where deny.so is preloaded */
    $f = "$dir/" . strtr($how, ', ', '--') . '.rdump';
    $cmd = array_merge(rdump_test_php(), ['-d', 'display_errors=stderr', '-d', 'error_reporting=-1', '-r', $code, $f]);
    list($rc, $out, $err) = rdump_test_run($how === 'privileged' ? array_merge(['env', "LD_PRELOAD=$preload"], $cmd)
        : rdump_test_unprivileged($cmd, $how === 'unprivileged' ? $preload : "$preload:$deny"), $env);
    /* Only the marked pages come from the mapping: its holes stay holes.
     * Refused the read-back, the dump still has the pages that were in
     * the swap cache (usually none): "%d of 1024", never "all". */
    $at = preg_match('/^at=([0-9a-f]+)$/m', $out, $m) ? rdump_test_hexdec($m[1]) : -1;
    $out = preg_replace('/^at=.*\n/m', '', $out);
    $pages = 0;
    foreach (rdump_test_load($f)['regions'] as $r) {
        $from = max($r['address'], $at);
        $to = min($r['address'] + $r['size'], $at + (8 << 20));
        $pages += $to > $from ? ($to - $from) >> 12 : 0;
    }
    $markers = rdump_test_count_page_markers($f, 'SHRD');
    echo "$how: ", $out, "  markers: ", $markers === 1024 ? 'all 1024' : "$markers of 1024",
        "; pages captured from the mapping: ", $pages === $markers ? 'the marked ones' : $pages, "\n";
    echo preg_replace('/\d+ KiB/', 'N KiB', $err);
}
rdump_test_swap_stop();
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
privileged: swapped out before the dump: every marked page
bool(true)
swapped out after it: 0 kB
  markers: all 1024; pages captured from the mapping: the marked ones
unprivileged: swapped out before the dump: every marked page
bool(true)
swapped out after it: 0 kB
  markers: all 1024; pages captured from the mapping: the marked ones
unprivileged, MADV_WILLNEED refused: swapped out before the dump: every marked page
bool(true)
swapped out after it: %s
  markers: %d of 1024; pages captured from the mapping: the marked ones
Notice: rdump_dump(): Dump '%s/unprivileged--MADV_WILLNEED-refused.rdump' is incomplete: N KiB of shared memory (opcache SHM, memfd, SysV, /dev/shm) was swapped out and not read back in time for the dump (with CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE, the dump finds and reads every such page) in Command line code on line %d
