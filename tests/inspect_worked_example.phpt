--TEST--
Inspector: the 170-byte worked example of the format contract is accepted and read field by field (v3, and v2/v1 layouts)
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
/* The hex dump of §1.9 of rdump-format.md, line by line. */
$hex = implode(' ', [
    '52 44 55 4d 50 00 00 00 03 00 00 00 03 00 00 00', // 0000
    '76 38 34 d2 04 00 00 00 00 00 00 00 10 00 00 00', // 0010
    '00 00 00 00 20 00 00 00 00 00 00 ff ff ff ff ff', // 0020
    'ff ff ff 01 00 00 00 0d 00 00 00 62 61 73 69 63', // 0030
    '5f 67 6c 6f 62 61 6c 73 00 30 00 00 00 00 00 00', // 0040
    '01 00 00 00 01 00 00 00 0c 00 00 00 37 66 30 30', // 0050
    '30 30 30 30 31 30 30 30 0c 00 00 00 37 66 30 30', // 0060
    '30 30 30 30 32 30 30 30 01 00 00 00 30 01 01 00', // 0070
    '01 05 00 00 00 30 30 3a 30 30 00 00 00 00 00 00', // 0080
    '00 00 00 00 00 00 00 10 00 00 00 7f 00 00 04 00', // 0090
    '00 00 00 00 00 00 41 42 43 44', // 00a0
]);
$bin = hex2bin(str_replace(' ', '', $hex));
var_dump(strlen($bin));
$dir = rdump_test_dir();
file_put_contents("$dir/v3.rdump", $bin);
$d = rdump_test_load("$dir/v3.rdump");
unset($d['file_size']);
echo json_encode($d, JSON_UNESCAPED_SLASHES), "\n";
list($rc, $out) = rdump_test_inspect("$dir/v3.rdump", ['--find=BC']);
echo $out;

/* The same dump in the v2 layout (no module globals) and v1 (no RSS). */
$v2 = substr_replace($bin, "\x02", 8, 1);
$v2 = substr($v2, 0, 0x33) . substr($v2, 0x33 + 4 + 4 + 13 + 8);
file_put_contents("$dir/v2.rdump", $v2);
$v1 = substr_replace($v2, "\x01", 8, 1);
$v1 = substr($v1, 0, 0x2b) . substr($v1, 0x2b + 8);
file_put_contents("$dir/v1.rdump", $v1);
foreach (['v2', 'v1'] as $v) {
    $d = rdump_test_load("$dir/$v.rdump");
    printf("%s: version %d, rss %s, globals %d, map %d, regions %d\n", $v, $d['format_version'],
        var_export($d['rss_bytes'], true), count($d['module_globals']), count($d['memory_map']), count($d['regions']));
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
int(170)
{"magic":"RDUMP","format_version":3,"php_version":"v84","pid":1234,"eg_address":4096,"cg_address":8192,"rss_bytes":null,"module_globals":{"basic_globals":12288},"memory_map":[{"begin":"7f0000001000","end":"7f0000002000","file_offset":"0","read":true,"write":true,"exec":false,"private":true,"device":"00:00","inode":0,"name":""}],"regions":[{"address":139637976731648,"size":4,"data_offset":166}],"finds":[]}
=== Header ===
  Magic:            RDUMP
  Format Version:   3
  PHP Version:      v84
  PID:              1234
  EG Address:       0x1000
  CG Address:       0x2000
  RSS at dump:      (unavailable)
  Memory Map Count: 1
  Region Count:     1

=== Module Globals ===
  basic_globals     0x3000

=== Memory Map ===
  7f0000001000-7f0000002000 rw-p 0 00:00 0 

=== Regions ===
  #0     0x7f0000001000 - 0x7f0000001004  (4 B)
Total: 1 regions, 4 B
Found "BC": 0x7f0000001001
v2: version 2, rss NULL, globals 0, map 1, regions 1
v1: version 1, rss NULL, globals 0, map 1, regions 1
