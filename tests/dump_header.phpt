--TEST--
rdump_dump(): header carries the running PHP's tag, pid, EG/CG/BG addresses and RSS
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$file = "$dir/h.rdump";

var_dump(rdump_dump($file));
$d = rdump_test_load($file);

var_dump($d['magic'], $d['format_version']);
var_dump($d['php_version'] === 'v' . PHP_MAJOR_VERSION . PHP_MINOR_VERSION);
var_dump($d['pid'] === getmypid());
var_dump($d['rss_bytes'] > 0);
/* EG and CG are structs of hundreds of bytes: the whole struct must be in
 * one region, not just its first byte. */
var_dump(rdump_test_region_of($d, $d['eg_address'], 512) >= 0);
var_dump(rdump_test_region_of($d, $d['cg_address'], 256) >= 0);
var_dump($d['eg_address'] !== $d['cg_address']);

$keys = array_keys($d['module_globals']);
var_dump(array_slice($keys, 0, 2));
var_dump(in_array('tsrm_ls_cache', $keys, true) === (bool)PHP_ZTS); /* an int before 8.4, a bool since */
foreach ($d['module_globals'] as $k => $addr) {
    if ($k !== 'tsrm_ls_cache') {
        echo "$k captured: ", var_export(rdump_test_region_of($d, $addr, 64) >= 0, true), "\n";
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
bool(true)
string(5) "RDUMP"
int(3)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
array(2) {
  [0]=>
  string(13) "basic_globals"
  [1]=>
  string(15) "module_registry"
}
bool(true)
basic_globals captured: true
module_registry captured: true
