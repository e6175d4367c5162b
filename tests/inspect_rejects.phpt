--TEST--
Inspector: accepts a real dump, rejects every truncated copy and every kind of corruption with a one-line reason
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();

/* An RDUMP v3 file from parts. $maps: [begin, end, perms "rw-p", name];
 * $regions: [address, bytes]. */
function build(array $maps, array $regions, array $o = []): string {
    $str = function ($s) { return pack('V', strlen($s)) . $s; };
    $b = ($o['magic'] ?? "RDUMP\0\0\0") . pack('V', $o['version'] ?? 3) . $str('v82') . pack('PPPq', 1, 0x1000, 0x2000, -1)
        . pack('V', 1) . $str('basic_globals') . pack('P', 0x3000)
        . pack('VV', $o['map_count'] ?? count($maps), $o['region_count'] ?? count($regions));
    foreach ($maps as $m) {
        $attrs = '';
        foreach ([0 => 'r', 1 => 'w', 2 => 'x', 3 => 'p'] as $i => $c) {
            $attrs .= chr($m[2][$i] === $c ? 1 : 0);
        }
        $b .= $str($m[0]) . $str($m[1]) . $str('0') . ($m[4] ?? $attrs) . $str('00:00') . pack('P', 0) . $str($m[3]);
    }
    foreach ($regions as $r) {
        $b .= pack('PP', $r[0], strlen($r[1])) . $r[1];
    }
    return $b;
}
function check(string $dir, string $label, string $bytes, string $reason): void {
    file_put_contents("$dir/x.rdump", $bytes);
    list($rc, $out, $err) = rdump_test_inspect("$dir/x.rdump");
    $ok = $rc === 1 && $out === '' && substr_count($err, "\n") === 1 && strpos($err, $reason) !== false;
    echo "$label: exit $rc, ", $ok ? 'reason ok' : "UNEXPECTED: $err", "\n";
}

$maps = [['7f0000001000', '7f0000003000', 'rw-p', ''], ['7f0000003000', '7f0000004000', 'r--p', '/lib/x.so'],
    ['7f0000005000', '7f0000006000', '---p', '']];
$good = build($maps, [[0x7f0000001000, 'AAAA'], [0x7f0000002000, 'BBBB'], [0x7f0000003000, 'CC']]);
file_put_contents("$dir/good.rdump", $good);
echo "synthetic good: exit ", rdump_test_inspect("$dir/good.rdump")[0], "\n";

check($dir, 'bad magic', substr_replace($good, 'X', 0, 1), 'bad magic');
check($dir, 'version 0', build($maps, [], ['version' => 0]), 'unsupported format version 0');
check($dir, 'version 4', build($maps, [], ['version' => 4]), 'unsupported format version 4');
check($dir, 'trailing byte', $good . "\0", '1 trailing bytes after the last region');
check($dir, 'region count too high', build($maps, [[0x7f0000001000, 'AAAA']], ['region_count' => 2]), 'truncated region 1');
check($dir, 'region count too low', build($maps, [[0x7f0000001000, 'AAAA'], [0x7f0000002000, 'B']], ['region_count' => 1]), 'trailing bytes');
check($dir, 'map count too high', build($maps, [], ['map_count' => 4]), 'truncated map entry 3');
check($dir, 'region outside every mapping', build($maps, [[0x7f0000004000, 'A']]), 'is outside every mapping');
check($dir, 'region across two mappings', build($maps, [[0x7f0000002ffe, 'AAAA']]), 'is outside every mapping');
check($dir, 'region in an unreadable mapping', build($maps, [[0x7f0000005000, 'A']]), 'unreadable mapping');
check($dir, 'overlapping regions', build($maps, [[0x7f0000001000, 'AAAA'], [0x7f0000001002, 'BB']]), 'overlaps the one before');
check($dir, 'unsorted regions', build($maps, [[0x7f0000002000, 'AAAA'], [0x7f0000001000, 'BB']]), 'not sorted');
check($dir, 'empty region', build($maps, [[0x7f0000001000, '']]), 'is empty');
check($dir, 'attribute byte 2', build([['7f0000001000', '7f0000002000', 'rw-p', '', "\1\1\0\2"]], []), 'not 0 or 1');
check($dir, '0x in begin', build([['0x7f0000001000', '7f0000002000', 'rw-p', '']], []), 'not bare lowercase hex');
check($dir, 'uppercase hex', build([['7F0000001000', '7f0000002000', 'rw-p', '']], []), 'not bare lowercase hex');
check($dir, 'end not above begin', build([['7f0000002000', '7f0000002000', 'rw-p', '']], []), 'is not above begin');
check($dir, 'unsorted map', build([$maps[1], $maps[0]], []), 'not sorted or overlaps');
check($dir, 'absurd string length', substr_replace($good, pack('V', 0x7fffffff), 12, 4), 'longer than');

/* A real dump: accepted whole; every truncation rejected. */
var_dump(rdump_dump("$dir/real.rdump"));
$real = file_get_contents("$dir/real.rdump");
$d = rdump_test_load("$dir/real.rdump");
echo "real dump: exit 0, ", count($d['regions']) > 0 ? 'regions' : 'NO REGIONS', "\n";
$first_data = $d['regions'][0]['data_offset'];
/* Every byte of the fixed header, then a spread across the memory map. */
$cuts = array_merge(range(0, 80), range(81, $first_data, 97), [$first_data - 1, $first_data + 1, strlen($real) - 1]);
foreach ($d['regions'] as $r) {
    $cuts[] = $r['data_offset'] - 9;           /* inside a region header */
    $cuts[] = $r['data_offset'] + intdiv($r['size'], 2);
}
$rejected = 0;
foreach (array_unique($cuts) as $len) {
    file_put_contents("$dir/cut.rdump", substr($real, 0, $len));
    list($rc, $out, $err) = rdump_test_inspect("$dir/cut.rdump");
    $rejected += $rc === 1 && (strpos($err, 'truncated') !== false || strpos($err, 'bad magic') !== false);
}
echo "truncated copies rejected: ", $rejected === count(array_unique($cuts)) ? 'all' : "$rejected of " . count(array_unique($cuts)), "\n";
/* Corrupted copies of the real dump. */
/* The region count sits right after the map count, before the map. */
$at = strpos($real, pack('VV', count($d['memory_map']), count($d['regions'])));
check($dir, 'real: region count + 1', substr_replace($real, pack('V', count($d['regions']) + 1), $at + 4, 4), 'truncated');
$r0 = $d['regions'][0];
check($dir, 'real: first region moved to page 1, where nothing is mapped',
    substr_replace($real, pack('P', 0x1000), $r0['data_offset'] - 16, 8), 'outside every mapping');
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
synthetic good: exit 0
bad magic: exit 1, reason ok
version 0: exit 1, reason ok
version 4: exit 1, reason ok
trailing byte: exit 1, reason ok
region count too high: exit 1, reason ok
region count too low: exit 1, reason ok
map count too high: exit 1, reason ok
region outside every mapping: exit 1, reason ok
region across two mappings: exit 1, reason ok
region in an unreadable mapping: exit 1, reason ok
overlapping regions: exit 1, reason ok
unsorted regions: exit 1, reason ok
empty region: exit 1, reason ok
attribute byte 2: exit 1, reason ok
0x in begin: exit 1, reason ok
uppercase hex: exit 1, reason ok
end not above begin: exit 1, reason ok
unsorted map: exit 1, reason ok
absurd string length: exit 1, reason ok
bool(true)
real dump: exit 0, regions
truncated copies rejected: all
real: region count + 1: exit 1, reason ok
real: first region moved to page 1, where nothing is mapped: exit 1, reason ok
