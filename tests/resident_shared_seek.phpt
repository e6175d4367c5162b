--TEST--
Resident-only capture of shared memory from its shmem file where the process may open /proc/self/map_files (SEEK_DATA/SEEK_HOLE: no mincore), and by mincore where it may not; both capture every page another process wrote
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('cc', 'a C compiler to build the preloaded helper');
rdump_skip_unless_command('strace', 'strace to see how the dump looked for pages');
rdump_skip_unless_map_files();
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$preload = rdump_test_build_preload($dir, 'shared_writer');

/* The same 64 MiB of shared memory, every second page written by another
 * process, dumped with and without the capabilities; strace shows which
 * way the pages were found. */
foreach (['privileged', 'unprivileged'] as $how) {
    $env = rdump_test_env();
    $env['RDUMP_TEST_SHARED_MIB'] = '64';
    $f = "$dir/s.rdump";
    @unlink($f);
    $cmd = array_merge(['strace', '-f', '-qq', '-o', "$dir/trace", '-e', 'trace=openat,mincore,clone,clone3',
        '-E', "LD_PRELOAD=$preload"], rdump_test_php(), ['-r', 'var_dump(rdump_dump($argv[1])); echo getenv("RDUMP_TEST_SHARED_AT");', $f]);
    list($rc, $out, $err) = rdump_test_run($how === 'privileged' ? array_merge(['env'], $cmd) : rdump_test_unprivileged($cmd), $env);
    list($ok, $at) = explode("\n", $out);
    /* The new thread may start before clone3 returns. */
    $trace = rdump_test_strace("$dir/trace");
    $opened = preg_match_all('/openat\(.*"\/proc\/self\/map_files\/' . $at . '-[0-9a-f]+".* = \d+$/m', $trace);
    $refused = preg_match_all('/openat\(.*"\/proc\/self\/map_files\/.* = -1 EPERM/m', $trace);
    $mincore = preg_match_all('/^\d+\s+mincore\(/m', $trace);
    $threads = preg_match_all('/^\d+\s+clone3?\(.*CLONE_THREAD.*= \d+$/m', $trace);
    $d = rdump_test_load($f);
    $base = hexdec($at);
    $in = array_filter($d['regions'], function ($r) use ($base) {
        return $r['address'] >= $base && $r['address'] < $base + (64 << 20);
    });
    $addresses = array_column($d['regions'], 'address');
    $sorted = $addresses;
    sort($sorted);
    printf("%s: %s; shmem file opened: %s, refused: %s; mincore calls: %s; threads: %d\n", $how, $ok,
        $opened ? 'yes' : 'no', $refused ? 'yes' : 'no', $mincore ? 'some' : 'none', $threads);
    printf("  markers: %d of 8192; regions in the mapping: %d, one page each: %d; in address order: %s\n%s",
        rdump_test_count_page_markers($f, 'SHRD'), count($in),
        count(array_filter($in, function ($r) { return $r['size'] === 4096; })),
        var_export($addresses === $sorted, true), $err);
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
privileged: bool(true); shmem file opened: yes, refused: no; mincore calls: none; threads: 1
  markers: 8192 of 8192; regions in the mapping: 8192, one page each: 8192; in address order: true
unprivileged: bool(true); shmem file opened: no, refused: yes; mincore calls: some; threads: 1
  markers: 8192 of 8192; regions in the mapping: 8192, one page each: 8192; in address order: true
