--TEST--
Resident-only capture (default): every region lies inside one chosen mapping, no present page is left out, and pages never touched are written as zeros and stay untouched
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
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

/* A captured page that pagemap reports, after the dump, as neither
 * present nor swapped was never touched (nothing here frees memory): the
 * dump holds it only because a Zend structure reli reads whole spans it
 * (the VM stack segment, for one), wrote it as zeros, and did not touch
 * it either. */
$pm = fopen('/proc/self/pagemap', 'rb');
$df = fopen("$dir/r.rdump", 'rb');
$pages = $empty = $nonzero = 0;
foreach ($d['regions'] as $r) {
    fseek($pm, intdiv($r['address'], $page) * 8);
    foreach (unpack('P*', fread($pm, intdiv($r['size'], $page) * 8)) as $i => $e) {
        $pages++;
        if (($e & (3 << 62)) === 0) {
            $empty++;
            fseek($df, $r['data_offset'] + ($i - 1) * $page);
            $nonzero += trim(fread($df, $page), "\0") !== '';
        }
    }
}
var_dump($pages > 0, $empty > 0, $nonzero);

/* Nothing present is left out: all 1,280 markers are in the dumped bytes. */
echo "markers in the dump: ", rdump_test_count_page_markers("$dir/r.rdump"), " of 1280\n";
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
string(1) "1"
bool(true)
int(0)
int(0)
bool(true)
bool(true)
int(0)
markers in the dump: 1280 of 1280
