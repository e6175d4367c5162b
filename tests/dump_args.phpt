--TEST--
rdump_dump(): an empty path, one with a NUL byte, an argument of a wrong type or too many are programming errors; nothing is created
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_php(80100, PHP_INT_MAX, 'PHP 8.1+ messages (ValueError for NUL bytes)');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
foreach (['', "$dir/a\0b.rdump"] as $path) {
    try {
        var_dump(rdump_dump($path));
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
try {
    rdump_dump([]);
} catch (Throwable $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    rdump_dump();
} catch (Throwable $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
/* Every other wrong type, and too many arguments: nothing is created. */
$target = "$dir/args.rdump";
foreach ([[new stdClass], [$target, []], [$target, false, new stdClass], [$target, false, false, 1]] as $args) {
    try {
        var_dump(rdump_dump(...$args));
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
var_dump(file_exists($target), glob("$target*") === []);
var_dump(file_exists("$dir/a"));
$f = new ReflectionFunction('rdump_dump');
echo $f->getNumberOfParameters(), ' ', $f->getNumberOfRequiredParameters(), ' ', $f->getReturnType(), "\n";
foreach ($f->getParameters() as $p) {
    echo $p->getType(), ' $', $p->getName(), $p->isOptional() ? ' = ' . var_export($p->getDefaultValue(), true) : '', "\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
ValueError: rdump_dump(): Argument #1 ($path) cannot be empty
ValueError: rdump_dump(): Argument #1 ($path) must not contain any null bytes
TypeError: rdump_dump(): Argument #1 ($path) must be of type string, array given
ArgumentCountError: rdump_dump() expects at least 1 argument, 0 given
TypeError: rdump_dump(): Argument #1 ($path) must be of type string, stdClass given
TypeError: rdump_dump(): Argument #2 ($full) must be of type bool, array given
TypeError: rdump_dump(): Argument #3 ($background) must be of type bool, stdClass given
ArgumentCountError: rdump_dump() expects at most 3 arguments, 4 given
bool(false)
bool(true)
bool(false)
3 1 bool
string $path
bool $full = false
bool $background = false
