--TEST--
rdump_set_oom_dump(): arguments, return values, a path that cannot be stored leaves the previous setting
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
var_dump(rdump_set_oom_dump('/tmp/a-%p.rdump'));
var_dump(rdump_set_oom_dump('/tmp/b.rdump', true));
var_dump(rdump_set_oom_dump(''));
var_dump(rdump_set_oom_dump(null));
try {
    rdump_set_oom_dump("/tmp/a\0b");
} catch (Throwable $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    rdump_set_oom_dump([]);
} catch (Throwable $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}

/* Too long to store: warning, false, and the earlier path stays in force
 * (checked by an OOM in a child process). */
$dir = rdump_test_dir('override');
$code = 'var_dump(rdump_set_oom_dump($argv[1])); var_dump(rdump_set_oom_dump("/" . str_repeat("x", 5000)));'
    . ' rdump_test_eat();';
list($rc, $out) = rdump_test_child([], $code, ["$dir/kept.rdump"]);
echo preg_replace(['/\(\d.*\)/', '/x{5000}/'], ['(...)', 'x...'], str_replace($dir, 'DIR', $out));
var_dump(rdump_test_ls($dir));
rdump_test_rmdir($dir);
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
bool(true)
ValueError: rdump_set_oom_dump(): Argument #1 ($path) must not contain any null bytes
TypeError: rdump_set_oom_dump(): Argument #1 ($path) must be of type ?string, array given
bool(true)

Warning: rdump_set_oom_dump(): Cannot use '/x...' as OOM dump path: File name too long in Command line code on line %d
bool(false)

Warning: rdump: memory_limit dump written to 'DIR/kept.rdump' (...) in Command line code on line 1

Fatal error: Allowed memory size of 16777216 bytes exhausted %s
array(1) {
  [0]=>
  string(10) "kept.rdump"
}
