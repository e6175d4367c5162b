--TEST--
smaps faults, with the helper thread that reads it and without: if it cannot be opened the dump goes on without VmFlags (so a MADV_DONTDUMP mapping is captured) and says so once; if a read of it fails the dump fails with the cause and leaves no file behind
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('strace', 'strace to make /proc/self/smaps fail');
rdump_skip_unless_command('cc', 'a C compiler to build the preloaded helper');
rdump_skip_unless_ffi('to call madvise()');
rdump_skip_unless_root('to attach strace to a running PHP (root, ptrace allowed)');
if (trim((string)@file_get_contents('/proc/sys/kernel/yama/ptrace_scope')) === '3') {
    die('skip needs to attach strace to a running PHP (root, ptrace allowed)');
}
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$preload = rdump_test_build_preload($dir, 'deny');
/* A child maps 1 MiB, fills it with 'S' from C, marks it MADV_DONTDUMP
 * (16), says its pid, waits until strace has attached and dumps twice
 * (the second dump shows whether the warning is said once). */
$code = <<<'PHP'
$c = FFI::cdef('long mmap(long, size_t, int, int, int, long); int madvise(long, size_t, int); long memset(long, int, size_t);');
$size = 1 << 20;
$p = $c->mmap(0, $size, 3, 0x22, -1, 0);
$c->memset($p, ord('S'), $size);
if ($c->madvise($p, $size, 16) !== 0) { die("madvise failed\n"); }
echo getmypid(), "\n";
for ($i = 0; !preg_match('/^TracerPid:\s+[1-9]/m', file_get_contents('/proc/self/status')); $i++) {
    if ($i === 10000) { die("strace did not attach\n"); }
    usleep(1000);
}
var_dump(rdump_dump($argv[1]), rdump_dump($argv[1] . '.2'));
PHP;
/* smaps is read by the helper thread, or by the dump itself where no
 * thread can start. strace attaches by pid so that -P can name the file:
 * given /proc/self/smaps it would resolve it in its own /proc/self. */
$faults = [
    'cannot open' => 'inject=openat:error=EACCES',
    /* Every read of it but the first (strace counts per thread). */
    'read fails' => 'inject=read:error=EIO:when=2+',
];
foreach ($faults as $fault => $inject) {
    foreach (['thread' => false, 'no thread' => true] as $how => $nothread) {
        $f = "$dir/s.rdump";
        $env = rdump_test_env();
        if ($nothread) {
            $env['LD_PRELOAD'] = $preload;
            $env['RDUMP_TEST_DENY'] = 'clone3:EAGAIN;clone:0&0x10000:EAGAIN'; /* CLONE_THREAD */
        }
        $cmd = array_merge(rdump_test_php(), rdump_test_ffi(), ['-r', $code, $f]);
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
        $pid = (int)fgets($pipes[1]);
        rdump_test_run(['strace', '-f', '-qq', '-o', '/dev/null', '-p', (string)$pid, '-P', '/proc/self/smaps',
            '-P', "/proc/$pid/smaps", '-e', $inject]);
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        proc_close($proc);
        echo "$fault, $how:\n", str_replace([$dir, "\n\n"], ['DIR', "\n"], trim($out)), "\n";
        if (is_file($f)) {
            list(, $json) = rdump_test_inspect($f, ['--json', '--find=' . str_repeat('S', 4096)]);
            $d = json_decode($json, true);
            printf("  the MADV_DONTDUMP bytes are in the dump: %s\n", var_export(count(current($d['finds'])) > 0, true));
        }
        printf("  left in the directory: %s\n", implode(', ', array_diff(rdump_test_ls($dir), ['deny.so'])) ?: 'nothing');
        @unlink($f);
        @unlink("$f.2");
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
cannot open, thread:
Warning: rdump_dump(): /proc/self/smaps cannot be read here: mappings marked MADV_DONTDUMP cannot be told apart and are captured (said once per process) in Command line code on line %d
bool(true)
bool(true)
  the MADV_DONTDUMP bytes are in the dump: true
  left in the directory: s.rdump, s.rdump.2
cannot open, no thread:
Warning: rdump_dump(): /proc/self/smaps cannot be read here: mappings marked MADV_DONTDUMP cannot be told apart and are captured (said once per process) in Command line code on line %d
bool(true)
bool(true)
  the MADV_DONTDUMP bytes are in the dump: true
  left in the directory: s.rdump, s.rdump.2
read fails, thread:
Warning: rdump_dump(): Cannot write dump to 'DIR/s.rdump': cannot read /proc/self/smaps: Input/output error in Command line code on line %d
Warning: rdump_dump(): Cannot write dump to 'DIR/s.rdump.2': cannot read /proc/self/smaps: Input/output error in Command line code on line %d
bool(false)
bool(false)
  left in the directory: nothing
read fails, no thread:
Warning: rdump_dump(): Cannot write dump to 'DIR/s.rdump': cannot read /proc/self/smaps: Input/output error in Command line code on line %d
Warning: rdump_dump(): Cannot write dump to 'DIR/s.rdump.2': cannot read /proc/self/smaps: Input/output error in Command line code on line %d
bool(false)
bool(false)
  left in the directory: nothing
