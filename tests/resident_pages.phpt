--TEST--
Resident-only capture (default): every region is a run of pages that hold data, inside one chosen mapping, and no present page is left out
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir('resident');
/* 5 MiB of numbered page markers: every page of it must be dumped. */
$keep = rdump_test_page_markers(1280);
var_dump(ini_get('rdump.resident_only'));
var_dump(rdump_dump("$dir/r.rdump"));
$d = rdump_test_load("$dir/r.rdump");

/* Page-aligned, inside one mapping that the policy chooses. */
$page = 4096;
$outside = $unaligned = 0;
foreach ($d['regions'] as $r) {
    $unaligned += ($r['address'] % $page) || ($r['size'] % $page);
    $in = false;
    foreach ($d['memory_map'] as $m) {
        if ($r['address'] >= rdump_test_hexdec($m['begin']) && $r['address'] + $r['size'] <= rdump_test_hexdec($m['end'])) {
            $in = $m['read'] && ($m['write'] || $m['name'] === '' || $m['name'][0] === '[' || !$m['private']);
        }
    }
    $outside += !$in;
}
var_dump($unaligned, $outside);

/* No captured page is one pagemap reports as neither present nor swapped
 * (pages the dump holds stay resident: nothing here frees memory). */
$pm = fopen('/proc/self/pagemap', 'rb');
$pages = $empty = 0;
foreach ($d['regions'] as $r) {
    fseek($pm, intdiv($r['address'], $page) * 8);
    foreach (unpack('P*', fread($pm, intdiv($r['size'], $page) * 8)) as $e) {
        $pages++;
        $empty += ($e & (3 << 62)) === 0;
    }
}
var_dump($pages > 0, $empty);

/* Nothing present is left out: all 1,280 markers are in the dumped bytes. */
echo "markers in the dump: ", rdump_test_count_page_markers("$dir/r.rdump"), " of 1280\n";
rdump_test_rmdir($dir);
?>
--EXPECT--
string(1) "1"
bool(true)
int(0)
int(0)
bool(true)
int(0)
markers in the dump: 1280 of 1280
