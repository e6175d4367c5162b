--TEST--
Resident-only capture of opcache's SHM without the capabilities (as an FPM worker runs): mincore looks only at the part opcache allocated (a few of 256 MiB), and the dump (a synchronous one, and a background one without the helper thread) still holds what another process sharing the SHM compiled into it, on pages this process never mapped; the SHM's header is read with process_vm_readv or, where that is refused, through /proc/self/mem
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_opcache();
rdump_skip_unless_command('cc', 'a C compiler to build the preloaded seccomp filter');
rdump_skip_unless_command('strace', 'strace to see what mincore looks at');
rdump_skip_unless_pcntl('to share the SHM with a child');
?>
--INI--
memory_limit=-1
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* A script whose compiled form ends in a 64-bit value this process never
 * holds: the compiler folds $a ^ $b. Opcache stores the script at the top
 * of what it has allocated, past 3000 other elements (48 KiB and more),
 * so the value lies on pages only the child touches. */
$a = random_int(1 << 40, PHP_INT_MAX);
$b = random_int(1 << 40, PHP_INT_MAX);
file_put_contents("$dir/compiled.php", '<?php return [' . implode(',', range(1, 3000)) . ", $a ^ $b];");
$code = <<<'PHP'
$pid = pcntl_fork();
if ($pid === 0) {
    include $argv[2];
    exit(0);
}
pcntl_waitpid($pid, $status);
$ok = rdump_dump($argv[1]);
/* The same from a snapshot child, which has no helper thread. */
$bg = rdump_dump("$argv[1].bg", false, true);
for ($i = 0; $i < 600 && !is_file("$argv[1].bg"); $i++) { usleep(50000); }
echo json_encode(['ok' => $ok, 'bg' => $bg, 'cached' => opcache_get_status(false)['opcache_statistics']['num_cached_scripts']]);
PHP;
$opcache = array_merge(rdump_test_opcache(), ['-d', 'opcache.enable_cli=1', '-d', 'opcache.memory_consumption=256',
    '-d', 'opcache.jit_buffer_size=0', '-d', 'opcache.file_update_protection=0']);
$deny = rdump_test_build_preload($dir, 'deny');
/* The header is read with process_vm_readv, or through /proc/self/mem
 * where a container's seccomp policy refuses that. */
foreach (['process_vm_readv' => null, 'process_vm_readv refused' => 'process_vm_readv:EPERM'] as $name => $rules) {
    $f = "$dir/o.rdump";
    @unlink($f);
    @unlink("$f.bg");
    $env = rdump_test_env();
    $preload = null;
    if ($rules) {
        $env['RDUMP_TEST_DENY'] = $rules;
        $preload = $deny;
    }
    $cmd = rdump_test_unprivileged(array_merge(['strace', '-f', '-qq', '-o', "$dir/trace", '-e', 'trace=mincore'],
        $preload ? ['-E', "LD_PRELOAD=$preload"] : [], rdump_test_php(), $opcache,
        ['-r', $code, $f, "$dir/compiled.php"]));
    list($rc, $out, $err) = rdump_test_run($cmd, $env);
    $r = json_decode($out, true) ?: die("child: $out $err");
    echo "$name: dump ", var_export($r['ok'], true), ", background dump ", var_export($r['bg'], true),
        ", scripts in the SHM: ", $r['cached'], "\n";

    $dump = rdump_test_load($f);
    $shm = [];
    foreach ($dump['memory_map'] as $m) {
        if (!$m['private'] && strpos($m['name'], '/dev/zero') === 0) {
            $shm[] = [hexdec($m['begin']), hexdec($m['end'])];
        }
    }
    printf("  SHM in the map: %d MiB\n", array_sum(array_map(function ($r) { return $r[1] - $r[0]; }, $shm)) >> 20);
    /* mincore calls into the SHM (the snapshot child also asks about the
     * file-backed mappings, whose page tables its fork did not copy). */
    $looked = 0;
    preg_match_all('/^\d+\s+mincore\(0x([0-9a-f]+), (\d+),.* = 0$/m', rdump_test_strace("$dir/trace"),
        $calls, PREG_SET_ORDER);
    foreach ($calls as list(, $addr, $len)) {
        foreach ($shm as list($begin, $end)) {
            if (hexdec($addr) >= $begin && hexdec($addr) < $end) {
                $looked += (int)$len;
            }
        }
    }
    /* Without the header, each dump's mincore would look at all 256 MiB. */
    printf("  mincore looked at some of it: %s, at under 32 MiB a dump: %s\n", var_export($looked > 0, true),
        var_export($looked < 64 << 20, true));
    rdump_test_load("$f.bg");
    printf("  the child's value in the dump: %d, in the background dump: %d\n",
        substr_count(file_get_contents($f), pack('P', $a ^ $b)), substr_count(file_get_contents("$f.bg"), pack('P', $a ^ $b)));
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
process_vm_readv: dump true, background dump true, scripts in the SHM: 1
  SHM in the map: 256 MiB
  mincore looked at some of it: true, at under 32 MiB a dump: true
  the child's value in the dump: 1, in the background dump: 1
process_vm_readv refused: dump true, background dump true, scripts in the SHM: 1
  SHM in the map: 256 MiB
  mincore looked at some of it: true, at under 32 MiB a dump: true
  the child's value in the dump: 1, in the background dump: 1
