--TEST--
rdump_dump(): mappings of files with names of thousands of bytes are listed exactly as /proc/self/maps shows them, and their pages are captured (the map is read back from the file in pieces that split entries)
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_if_asan("AddressSanitizer's runtime maps memory while the dump's helper thread runs: the map cannot be compared exactly");
rdump_skip_unless_ffi('to call mmap()');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* 40 one-page files, each at a path of about 4,000 bytes (nested
 * directories of 200-byte names), with lengths that differ so that the
 * entries fall across the read-back buffer's edges at different places. */
$files = [];
for ($i = 0; $i < 40; $i++) {
    $path = $dir;
    for ($level = 0; $level < 19; $level++) {
        $path .= '/' . str_repeat(chr(ord('a') + $level % 26), 150 + ($i * 7 + $level) % 50);
    }
    @mkdir($path, 0700, true);
    $files[] = "$path/f$i";
    file_put_contents("$path/f$i", str_repeat("\0", 4096));
}
file_put_contents("$dir/list", implode("\n", $files));
/* The child maps each file privately and writes a marker at its start,
 * so each mapping is writable and resident: captured. Not under valgrind:
 * see dump_maps.phpt. */
$code = <<<'PHP'
$c = FFI::cdef('int open(const char *, int); long mmap(long, size_t, int, int, int, long); long memcpy(long, const char *, size_t);');
foreach (explode("\n", file_get_contents($argv[2])) as $i => $path) {
    $fd = $c->open($path, 2);
    $p = $c->mmap(0, 4096, 3, 2, $fd, 0);
    $mark = sprintf('LONGNAME%04d', $i);
    $c->memcpy($p, $mark, strlen($mark));
}
for ($try = 0; $try < 5; $try++) {
    $before = file_get_contents('/proc/self/maps');
    if (!rdump_dump($argv[1])) {
        die("dump failed\n");
    }
    if ($before === file_get_contents('/proc/self/maps')) {
        break;
    }
}
file_put_contents($argv[1] . '.maps', $before);
PHP;
$f = "$dir/l.rdump";
list($rc, $out, $err) = rdump_test_run(array_merge(rdump_test_php(), rdump_test_ffi(), ['-r', $code, $f, "$dir/list", 'exact-maps']),
    rdump_test_env());
echo $out, $err;
$d = rdump_test_load($f);
$proc = rdump_test_proc_maps((string)file_get_contents("$f.maps"));
$index = array_flip($files);
$fh = fopen($f, 'rb');
$listed = $marked = 0;
foreach ($d['memory_map'] as $m) {
    if (!isset($index[$m['name']])) {
        continue;
    }
    $listed++;
    $begin = rdump_test_hexdec($m['begin']);
    $r = rdump_test_region_of($d, $begin, 12);
    if ($r >= 0) {
        fseek($fh, $d['regions'][$r]['data_offset'] + $begin - $d['regions'][$r]['address']);
        $marked += fread($fh, 12) === sprintf('LONGNAME%04d', $index[$m['name']]);
    }
}
fclose($fh);
printf("mappings of the files in the dump's map: %d; map as /proc/self/maps: %s\n", $listed,
    var_export($d['memory_map'] === $proc, true));
printf("captured with their marker: %d\n", $marked);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
mappings of the files in the dump's map: 40; map as /proc/self/maps: true
captured with their marker: 40
