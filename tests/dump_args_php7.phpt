--TEST--
rdump_dump(): on PHP 7 an empty path or one with a NUL byte warns and returns false
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_php(0, 80000, 'PHP 7 behaviour');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
var_dump(rdump_dump(''));
var_dump(rdump_dump("$dir/a\0b.rdump"));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
Warning: rdump_dump(): Argument #1 cannot be empty in %s on line %d
bool(false)

Warning: rdump_dump() expects parameter 1 to be a valid path, string given in %s on line %d
NULL
