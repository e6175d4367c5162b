--TEST--
rdump.signal: a CLI process busy in a loop dumps where it is when it gets SIGUSR2, and goes on; the application's own pcntl handler for SIGUSR1 keeps working next to it
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_pcntl('for the application side of the test');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();

/* The "application": its own SIGUSR1 handler, a function frame holding a
 * unique string, and a loop that waits for the stop file. */
$code = <<<'PHP'
pcntl_async_signals(true);
pcntl_signal(SIGUSR1, function () { echo "application handler: SIGUSR1\n"; });
function busy(string $dir) {
    $local = str_repeat('in-the-busy-frame-', 3);
    echo "ready\n";
    while (!file_exists("$dir/stop")) { usleep(1000); }
    return strlen($local);
}
busy($argv[1]);
echo "finished normally\n";
PHP;
/* zend.signal_check=0: PHP debug builds otherwise warn at request end that
 * the handler of SIGUSR2, a signal Zend manages, was replaced (see README). */
$cmd = array_merge(rdump_test_php(), ['-d', 'rdump.signal=SIGUSR2', '-d', "rdump.signal_dump=$dir/sig-%p.rdump",
    '-d', 'zend.signal_check=0',
    '-r', $code, $dir]);
$p = proc_open('exec ' . implode(' ', array_map('escapeshellarg', $cmd)), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$pid = proc_get_status($p)['pid'];
echo fgets($pipes[1]);

$wait = function (callable $ready) {
    for ($i = 0; $i < 400 && !$ready(); $i++) {
        usleep(25000);
    }
};
posix_kill_or_shell($pid, 10);   /* SIGUSR1: the application's */
usleep(300000);
posix_kill_or_shell($pid, 12);   /* SIGUSR2: rdump's */
$wait(function () use ($dir, $pid) { return is_file("$dir/sig-$pid.rdump"); });
posix_kill_or_shell($pid, 10);

list(, $json) = rdump_test_inspect("$dir/sig-$pid.rdump", ['--json', '--find=in-the-busy-frame-in-the-busy-frame-']);
$d = json_decode($json, true);
echo "dump valid: ", var_export(is_array($d), true), ", pid: ", var_export(($d['pid'] ?? 0) === $pid, true),
    ", the busy frame's string in it: ", count($d['finds']['in-the-busy-frame-in-the-busy-frame-'] ?? []) > 0 ? 'yes' : 'no', "\n";
touch("$dir/stop");
$out = stream_get_contents($pipes[1]);
$err = stream_get_contents($pipes[2]);
echo $out;
echo "exit ", proc_close($p), "\n";
echo str_replace([$dir, (string)$pid], ['DIR', 'PID'], $err);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
ready
dump valid: true, pid: true, the busy frame's string in it: yes
application handler: SIGUSR1
application handler: SIGUSR1
finished normally
exit 0
rdump: signal dump written to 'DIR/sig-PID.rdump' (%f %s in %d regions)
