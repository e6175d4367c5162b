--TEST--
Flush-behind runs on a thread of its own: the writer makes none of the sync_file_range or fadvise calls, the thread waits for the disk at most 2 MiB at a time, every drop starts on a 16 MiB boundary (a folio is dropped only whole), and what lies more than the cap behind is waited for and dropped; where no thread can start, and in a snapshot child (which must not start threads), the writer does it all itself
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('strace', 'strace to see which thread flushes');
rdump_skip_unless_command('cc', 'a C compiler to build the preloaded helper');
?>
--INI--
memory_limit=-1
rdump.flush_behind=1
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* In this process too, where the suite's memory checkers see the thread
 * start and stop (the strace children below they do not follow). */
$s = rdump_test_page_markers(10240);
printf("in this process: %s, markers: %s\n", var_export(rdump_dump("$dir/p.rdump"), true),
    ($n = rdump_test_count_page_markers("$dir/p.rdump")) === 10240 ? 'all' : "$n of 10240");
unlink("$dir/p.rdump");
unset($s);

$preload = rdump_test_build_preload($dir, 'deny');
/* 96 MiB of marked pages, flushed behind with the cap of forced
 * flushing (64 MiB, no memory limit here): more than the cap and two
 * windows, so some of it must be waited for. */
$code = 'require $argv[2]; $s = rdump_test_page_markers(24576); var_dump(rdump_dump($argv[1], false, (bool)$argv[3]));'
    . ' for ($i = 0; $i < 6000 && !is_file($argv[1]); $i++) { usleep(10000); }'
    . ' echo rdump_test_count_page_markers($argv[1]), "\n";';
$mib = 1 << 20;
$cap = 64 * $mib;
$window = 16 * $mib;

/* Copied through /proc/self/mem, the windows end wherever a read ends,
 * so the cap reaches back to no boundary of its own. */
/* A snapshot child must not start threads: its writer flushes itself. */
$cases = ['thread' => [false, 0, 0], 'thread, /proc/self/mem' => [false, 1, 0], 'no thread' => [true, 0, 0],
    'snapshot child' => [false, 0, 1]];
foreach ($cases as $case => list($nothread, $safe, $background)) {
    $f = "$dir/f.rdump";
    $env = rdump_test_env();
    $cmd = ['strace', '-f', '-qq', '-o', "$dir/trace", '-e', 'trace=write,writev,sync_file_range,fadvise64', '-e', 'signal=none'];
    if ($nothread) {
        /* env, so that strace itself is not denied its threads. */
        $cmd = array_merge($cmd, ['env', "LD_PRELOAD=$preload", 'RDUMP_TEST_DENY=clone3:EAGAIN;clone:0&0x10000:EAGAIN']);
    }
    $cmd = array_merge($cmd, rdump_test_php(), ['-d', 'memory_limit=-1', '-d', 'rdump.flush_behind=1', '-d', "rdump.safe_read=$safe",
        '-r', $code, $f, __DIR__ . '/rdump_test.inc', (string)$background]);
    list($rc, $out, $err) = rdump_test_run($cmd, $env);
    $trace = rdump_test_strace("$dir/trace");
    preg_match_all('/^(\d+) +(write|writev|sync_file_range|fadvise64)\((\d+), (.*) = (-?\d+)/m', $trace, $m, PREG_SET_ORDER);
    /* The dump file is what is flushed; the writer, who writes to it. */
    $fd = $writer = null;
    foreach ($m as list(, $tid, $call, $cfd)) {
        if ($fd === null && $call !== 'write' && $call !== 'writev') {
            $fd = $cfd;
        }
    }
    foreach ($m as list(, $tid, $call, $cfd)) {
        if ($writer === null && $cfd === $fd && ($call === 'write' || $call === 'writev')) {
            $writer = $tid;
        }
    }
    $flushers = [];
    $waited = $dropped = 0;
    $wrong = [];
    foreach ($m as list(, $tid, $call, $cfd, $args)) {
        if ($cfd !== $fd || $call === 'write' || $call === 'writev') {
            continue;
        }
        $flushers[$tid === $writer ? 'the writer' : 'another thread'][$tid] = true;
        preg_match('/^(\d+), (\d+), (\w+(?:\|\w+)*)/', $args, $a);
        list(, $off, $len, $how) = $a;
        if ($call === 'fadvise64') {
            if ($off % $window !== 0) {
                $wrong[] = "dropped from $off, not a 16 MiB boundary";
            }
            if ($waited > 0 && $off + $len <= $waited) {
                $dropped = max($dropped, $off + $len);
            }
        } elseif ($how !== 'SYNC_FILE_RANGE_WRITE') {
            $waited = max($waited, $off + $len);
            if (!$nothread && !$background && $len > 2 * $mib) {
                $wrong[] = "waited for $len bytes at once";
            }
        }
    }
    $lines = explode("\n", trim($out));
    $size = filesize($f);
    printf("%s: %s, markers: %s; flushed by: %s; waited for and dropped: %s\n%s", $case, $lines[0],
        ($lines[1] ?? '') === '24576' ? 'all' : ($lines[1] ?? '?') . ' of 24576',
        implode(', ', array_map(function ($who, $tids) { return count($tids) === 1 ? $who : count($tids) . " x $who"; },
            array_keys($flushers), $flushers)) ?: 'nobody',
        $dropped >= $size - $cap - 2 * $window && $dropped > 0 ? 'all but the last cap and two windows' : "only $dropped of $size bytes",
        $rc === 0 ? '' : "exit $rc: $err\n");
    foreach (array_unique($wrong) as $w) {
        echo "  $w\n";
    }
    unlink($f);
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
in this process: true, markers: all
thread: bool(true), markers: all; flushed by: another thread; waited for and dropped: all but the last cap and two windows
thread, /proc/self/mem: bool(true), markers: all; flushed by: another thread; waited for and dropped: all but the last cap and two windows
no thread: bool(true), markers: all; flushed by: the writer; waited for and dropped: all but the last cap and two windows
snapshot child: bool(true), markers: all; flushed by: the writer; waited for and dropped: all but the last cap and two windows
