--TEST--
Flush-behind: in a memory-limited cgroup a 160 MiB dump holds a page cache bounded by half the room left under the limit ("auto" engages it, 0 does not)
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
$cg = rdump_test_memory_cgroup_v1();
if ($cg === null || !is_writable($cg)) {
    die('skip needs a writable cgroup v1 memory hierarchy (run as root)');
}
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$cg = rdump_test_cgroup(rdump_test_memory_cgroup_v1());
file_put_contents("$cg/memory.limit_in_bytes", (string)(4 << 30));

/* A child joins the cgroup, builds a 160 MiB heap, leaves some room under
 * the limit, and dumps; the cgroup's peak usage during the dump minus its
 * usage before is the most page cache the dump held (the heap is already
 * charged). Flushing behind holds at most half the room plus two 16 MiB
 * windows: with 128 MiB of room, 96 MiB. Without, the room is
 * 256 MiB, so the whole dump can stay in the page cache. */
$code = <<<'PHP'
list(, $cg, $file, $room) = $argv;
file_put_contents("$cg/cgroup.procs", (string)getmypid());
$heap = [];
for ($i = 0; $i < 160 * 256; $i++) { $heap[] = str_repeat(pack('N', $i), 1000); }
$before = (int)file_get_contents("$cg/memory.usage_in_bytes");
file_put_contents("$cg/memory.limit_in_bytes", (string)($before + ((int)$room << 20)));
file_put_contents("$cg/memory.max_usage_in_bytes", '0');
$ok = rdump_dump($file);
$peak = (int)file_get_contents("$cg/memory.max_usage_in_bytes");
echo json_encode(['ok' => $ok, 'growth' => $peak - $before, 'size' => filesize($file)]);
PHP;
foreach (['auto', '1', '0'] as $setting) {
    $cmd = array_merge(rdump_test_php(), ['-d', 'memory_limit=-1', '-d', "rdump.flush_behind=$setting",
        '-r', $code, $cg, "$dir/f-$setting.rdump", $setting === '0' ? '256' : '128']);
    list($rc, $out, $err) = rdump_test_run($cmd);
    $r = json_decode($out, true);
    if (!$r) {
        echo "child failed ($rc): $out $err\n";
        continue;
    }
    $mib = $r['growth'] / 1048576;
    printf("flush_behind=%s: dump %s, %d MiB or more, page cache held %s\n", $setting,
        $r['ok'] ? 'written' : 'failed', $r['size'] >= (160 << 20) ? 160 : 0,
        $mib <= 96 ? 'at most 96 MiB' : ($mib > 120 ? 'over 120 MiB' : sprintf('%.0f MiB', $mib)));
    rdump_test_load("$dir/f-$setting.rdump");
    unlink("$dir/f-$setting.rdump");
}
$info = rdump_test_run(array_merge(['sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', $cg],
    rdump_test_php(), ['--ri', 'rdump']))[1];
preg_match('/^memory cgroup limited => (\w+)/m', $info, $lim);
echo "phpinfo inside: ", $lim[1] ?? '?', "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
flush_behind=auto: dump written, 160 MiB or more, page cache held at most 96 MiB
flush_behind=1: dump written, 160 MiB or more, page cache held at most 96 MiB
flush_behind=0: dump written, 160 MiB or more, page cache held over 120 MiB
phpinfo inside: yes
