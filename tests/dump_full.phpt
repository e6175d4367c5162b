--TEST--
rdump_dump($path, true): also embeds the read-only file-backed mappings, never the kernel's pages
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();

var_dump(rdump_dump("$dir/normal.rdump", false));
var_dump(rdump_dump("$dir/full.rdump", true));
$normal = rdump_test_load("$dir/normal.rdump");
$full = rdump_test_load("$dir/full.rdump");

/* Read-only mappings of files (the PHP binary's and libraries' text and
 * rodata), counted in each dump. */
function ro_file_captured(array $d): array {
    $n = 0; $total = 0; $special = 0;
    foreach ($d['memory_map'] as $m) {
        /* [vsyscall] lies above 2^63, where hexdec() gives a float and no
         * region can be. */
        $begin = rdump_test_hexdec($m['begin']);
        $captured = is_int($begin) && rdump_test_region_of($d, $begin, rdump_test_hexdec($m['end']) - $begin) >= 0;
        if (in_array($m['name'], ['[vvar]', '[vvar_vclock]', '[vdso]', '[vsyscall]'], true)) {
            $special += $captured;
        } elseif ($m['read'] && !$m['write'] && $m['private'] && $m['name'] !== '' && $m['name'][0] === '/') {
            $total++;
            $n += $captured;
        }
    }
    return [$n, $total, $special];
}
list($n, $total, $special) = ro_file_captured($normal);
var_dump($total > 0, $n, $special);
list($n, $total, $special) = ro_file_captured($full);
var_dump($n === $total, $special);

/* The PHP binary's executable text is among them: its first bytes are an
 * ELF mapping whose bytes equal the file on disk. */
$exe = readlink('/proc/self/exe');
foreach ($full['memory_map'] as $m) {
    if ($m['name'] === $exe && $m['exec']) {
        $i = rdump_test_region_of($full, rdump_test_hexdec($m['begin']), 64);
        $fh = fopen("$dir/full.rdump", 'rb');
        fseek($fh, $full['regions'][$i]['data_offset'] + rdump_test_hexdec($m['begin']) - $full['regions'][$i]['address']);
        $dumped = fread($fh, 64);
        fclose($fh);
        $disk = file_get_contents($exe, false, null, rdump_test_hexdec($m['file_offset']), 64);
        var_dump($dumped === $disk);
        break;
    }
}
var_dump(filesize("$dir/full.rdump") > filesize("$dir/normal.rdump"));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
int(0)
int(0)
bool(true)
int(0)
bool(true)
bool(true)
