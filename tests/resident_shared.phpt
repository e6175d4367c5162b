--TEST--
Resident-only capture, unprivileged (mincore), of shared memory another process wrote (opcache SHM filled by other workers): every such page is captured although this process never mapped it, in address order; a large mapping (the helper thread's) and a small one (done inline)
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('cc', 'a C compiler to build the preloaded helper');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$preload = rdump_test_build_preload($dir, 'shared_writer');

/* The child reports the shared mapping's RSS in itself (0: never mapped
 * here), then dumps. */
$code = <<<'PHP'
$at = getenv('RDUMP_TEST_SHARED_AT');
$in = false;
$rss = 'not found';
foreach (explode("\n", file_get_contents('/proc/self/smaps')) as $line) {
    if (preg_match('/^([0-9a-f]+)-[0-9a-f]+ /', $line, $m)) {
        $in = ltrim($m[1], '0') === $at; /* as strings: [vsyscall] is above PHP_INT_MAX */
    } elseif ($in && preg_match('/^Rss:\s+(\d+) kB/', $line, $m)) {
        $rss = $m[1];
    }
}
echo "mapped here before the dump: $rss kB\n";
var_dump(rdump_dump($argv[1]));
echo $at;
PHP;
/* 64 MiB is over the helper thread's threshold (32 MiB), 8 MiB under it. */
/* Without the capabilities that let shared memory be read from its shmem
 * file (an FPM worker has none): mincore. resident_shared_seek.phpt has
 * the other way. */
foreach ([64, 8] as $mib) {
    $env = rdump_test_env();
    $env['RDUMP_TEST_SHARED_MIB'] = (string)$mib;
    $f = "$dir/s$mib.rdump";
    list($rc, $out, $err) = rdump_test_run(rdump_test_unprivileged(array_merge(rdump_test_php(), ['-r', $code, $f]),
        $preload), $env);
    $lines = explode("\n", $out);
    $at = hexdec(array_pop($lines));
    echo "$mib MiB: ", implode("\n", $lines), "\n", $err;
    $d = rdump_test_load($f);
    $pages = $mib * 256;
    $shared = array_values(array_filter($d['regions'], function ($r) use ($at, $mib) {
        return $r['address'] >= $at && $r['address'] < $at + ($mib << 20);
    }));
    /* Every second page holds a marker: one one-page region each. */
    $one_page = count(array_filter($shared, function ($r) { return $r['size'] === 4096; }));
    printf("  markers: %d of %d; regions in the mapping: %d, one page each: %d\n",
        rdump_test_count_page_markers($f, 'SHRD'), $pages / 2, count($shared), $one_page);
    /* The inspector refuses regions out of address order; here, to be
     * plain about it, the file's order checked again. */
    $addresses = array_column($d['regions'], 'address');
    $sorted = $addresses;
    sort($sorted);
    printf("  regions in address order: %s\n", var_export($addresses === $sorted, true));
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
64 MiB: mapped here before the dump: 0 kB
bool(true)
  markers: 8192 of 8192; regions in the mapping: 8192, one page each: 8192
  regions in address order: true
8 MiB: mapped here before the dump: 0 kB
bool(true)
  markers: 1024 of 1024; regions in the mapping: 1024, one page each: 1024
  regions in address order: true
