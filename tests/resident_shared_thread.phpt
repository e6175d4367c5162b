--TEST--
Resident-only capture of shared memory, unprivileged (mincore): a dump starts one helper thread (smaps, then shared memory); if no thread can be started, the dump does all of it itself and is just as complete; a MADV_DONTDUMP mapping is not written either way
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('cc', 'a C compiler to build the preloaded helper');
rdump_skip_unless_command('strace', 'strace to see the threads a dump starts');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$preload = rdump_test_build_preload($dir, 'shared_writer');
$deny = rdump_test_build_preload($dir, 'deny');

/* strace sees every thread the child starts (clone3 or clone with
 * CLONE_THREAD; the preloaded helper's fork has no CLONE_THREAD). In "no
 * thread" both fail as where threads are limited (a seccomp filter:
 * glibc 2.34 and later start threads with clone3 and give up on EAGAIN
 * rather than try clone, older ones use clone), and pthread_create with
 * them. */
$nothread = ['clone3:EAGAIN;clone:0&0x10000:EAGAIN'];
$cases = [
    '64 MiB' => [64, [], false],
    '64 MiB, no thread' => [64, $nothread, false],
    /* The mapping is offered to the thread from /proc/self/maps, which
     * has no VmFlags; smaps, read by the thread or without one by the
     * dump itself, says it is not to be written. */
    '64 MiB, MADV_DONTDUMP' => [64, [], true],
    '64 MiB, MADV_DONTDUMP, no thread' => [64, $nothread, true],
];
foreach ($cases as $name => list($mib, $rules, $dontdump)) {
    $env = rdump_test_env();
    if ($dontdump) {
        $env['RDUMP_TEST_SHARED_DONTDUMP'] = '1';
    }
    $env['RDUMP_TEST_SHARED_MIB'] = (string)$mib;
    $libs = $preload;
    if ($rules) {
        $env['RDUMP_TEST_DENY'] = $rules[0];
        $libs .= ":$deny";
    }
    $f = "$dir/s.rdump";
    @unlink($f);
    /* Preloaded into PHP only (-E), not into strace itself; without the
     * capabilities that let shared memory be read from its shmem file
     * (an FPM worker has none), where the thread is used. */
    $cmd = rdump_test_unprivileged(array_merge(['strace', '-f', '-qq', '-o', "$dir/trace", '-e', 'trace=clone,clone3',
        '-E', "LD_PRELOAD=$libs"], rdump_test_php(), ['-r', 'var_dump(rdump_dump($argv[1]));', $f]));
    list($rc, $out, $err) = rdump_test_run($cmd, $env);
    $started = preg_match_all('/^\d+\s+clone3?\(.*CLONE_THREAD.*= \d+$/m', rdump_test_strace("$dir/trace"));
    printf("%s: %s threads started: %d; markers: %d of %d\n%s", $name, trim($out), $started,
        rdump_test_count_page_markers($f, 'SHRD'), $mib * 128, $err);
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
64 MiB: bool(true) threads started: 1; markers: 8192 of 8192
64 MiB, no thread: bool(true) threads started: 0; markers: 8192 of 8192
64 MiB, MADV_DONTDUMP: bool(true) threads started: 1; markers: 0 of 8192
64 MiB, MADV_DONTDUMP, no thread: bool(true) threads started: 0; markers: 0 of 8192
