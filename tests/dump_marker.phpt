--TEST--
rdump_dump(): strings, arrays and objects made at run time are in the dump's bytes
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$file = "$dir/k.rdump";

$id = bin2hex(random_bytes(8));
$small = "small-$id";                               // a ZendMM small bin
$large = str_repeat('L', 100000) . "large-$id";     // a large run inside a chunk
$huge = str_repeat('H', 3 << 20) . "huge-$id";      // a huge block (> 2 MiB)
$obj = new stdClass;
$obj->prop = "object-$id";
$arr = ['k' => "array-$id"];

var_dump(rdump_dump($file));
$args = ['--json'];
foreach (['small', 'large', 'huge', 'object', 'array', 'absent'] as $kind) {
    $args[] = "--find=$kind-$id";
}
list($rc, $out, $err) = rdump_test_inspect($file, $args);
var_dump($rc);
$d = json_decode($out, true);
foreach ($d['finds'] as $needle => $hits) {
    echo substr($needle, 0, strpos($needle, '-')), ': ', count($hits) > 0 ? 'found' : 'not found', "\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
bool(true)
int(0)
small: found
large: found
huge: found
object: found
array: found
absent: not found
