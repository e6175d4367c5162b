--TEST--
rdump_dump(): an empty path or one with a NUL byte is a programming error
--SKIPIF--
<?php if (PHP_VERSION_ID < 80100) die('skip PHP 8.1+ messages (ValueError for NUL bytes)'); ?>
--FILE--
<?php
foreach (['', "/tmp/a\0b.rdump"] as $path) {
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
var_dump(file_exists('/tmp/a'));
$f = new ReflectionFunction('rdump_dump');
echo $f->getNumberOfParameters(), ' ', $f->getNumberOfRequiredParameters(), ' ', $f->getReturnType(), "\n";
foreach ($f->getParameters() as $p) {
    echo $p->getType(), ' $', $p->getName(), $p->isOptional() ? ' = ' . var_export($p->getDefaultValue(), true) : '', "\n";
}
?>
--EXPECT--
ValueError: rdump_dump(): Argument #1 ($path) cannot be empty
ValueError: rdump_dump(): Argument #1 ($path) must not contain any null bytes
TypeError: rdump_dump(): Argument #1 ($path) must be of type string, array given
ArgumentCountError: rdump_dump() expects at least 1 argument, 0 given
bool(false)
3 1 bool
string $path
bool $full = false
bool $background = false
