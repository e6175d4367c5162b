--TEST--
rdump_dump(): on PHP 7 an empty path or one with a NUL byte warns and returns false
--SKIPIF--
<?php if (PHP_VERSION_ID >= 80000) die('skip PHP 7 behaviour'); ?>
--FILE--
<?php
var_dump(rdump_dump(''));
var_dump(rdump_dump("/tmp/a\0b.rdump"));
?>
--EXPECTF--
Warning: rdump_dump(): Argument #1 cannot be empty in %s on line %d
bool(false)

Warning: rdump_dump() expects parameter 1 to be a valid path, string given in %s on line %d
NULL
