--TEST--
rdump.signal: a signal dump that had to do without /proc/self/smaps says so in its log line, as the function and the memory_limit dump do, with its size
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('strace', 'strace to make /proc/self/smaps fail');
rdump_skip_unless_root('to attach strace to a running PHP (root, ptrace allowed)');
if (trim((string)@file_get_contents('/proc/sys/kernel/yama/ptrace_scope')) === '3') {
    die('skip needs to attach strace to a running PHP (ptrace allowed)');
}
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* The child says its pid, waits until strace has attached, asks for a
 * dump by signal and waits (at interrupt points) until it is there. */
$code = <<<'PHP'
echo getmypid(), "\n";
for ($i = 0; !preg_match('/^TracerPid:\s+[1-9]/m', file_get_contents('/proc/self/status')); $i++) {
    if ($i === 10000) { die("strace did not attach\n"); }
    usleep(1000);
}
shell_exec('kill -USR2 ' . getmypid());
for ($i = 0; !file_exists($argv[1]) && $i < 20000; $i++) { usleep(1000); }
echo file_exists($argv[1]) ? "dumped\n" : "no dump\n";
PHP;
$f = "$dir/sig.rdump";
$cmd = array_merge(rdump_test_php(), ['-d', 'rdump.signal=SIGUSR2', '-d', "rdump.signal_dump=$f",
    '-d', 'zend.signal_check=0', '-r', $code, $f]);
$proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, rdump_test_env());
$pid = (int)fgets($pipes[1]);
/* By pid, so that -P can name the file (see dump_smaps_faults.phpt). */
rdump_test_run(['strace', '-f', '-qq', '-o', '/dev/null', '-p', (string)$pid, '-P', '/proc/self/smaps',
    '-P', "/proc/$pid/smaps", '-e', 'inject=openat:error=EACCES']);
echo stream_get_contents($pipes[1]);
echo str_replace($dir, 'DIR', stream_get_contents($pipes[2]));
proc_close($proc);
list($rc) = rdump_test_inspect($f);
echo "inspector exit: $rc\n";
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
dumped
rdump: signal dump written to 'DIR/sig.rdump' (%f %s in %d regions); /proc/self/smaps cannot be read here: mappings marked MADV_DONTDUMP cannot be told apart and are captured (said once per process)
inspector exit: 0
