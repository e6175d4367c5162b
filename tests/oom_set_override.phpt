--TEST--
rdump_set_oom_dump(): arguments, return values, a path that cannot be stored leaves the previous setting
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
var_dump(rdump_set_oom_dump('/tmp/a-%p.rdump'));
var_dump(rdump_set_oom_dump('/tmp/b.rdump', true));
var_dump(rdump_set_oom_dump(''));
var_dump(rdump_set_oom_dump(null));
/* Wrong arguments: an exception on PHP 8, a warning and null on PHP 7. */
set_error_handler(function ($no, $msg) { echo "Warning: $msg\n"; return true; });
foreach (["/tmp/a\0b", []] as $bad) {
    try {
        rdump_set_oom_dump($bad);
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
restore_error_handler();

/* Too long to store: warning, false, and the earlier path stays in force
 * (checked by an OOM in a child process). */
$dir = rdump_test_dir();
$code = 'var_dump(rdump_set_oom_dump($argv[1])); var_dump(rdump_set_oom_dump("/" . str_repeat("x", 5000)));'
    . ' rdump_test_eat();';
/* (PHP 7 would cut the message at log_errors_max_len.) */
list($rc, $out) = rdump_test_child(['log_errors_max_len' => '0'], $code, ["$dir/kept.rdump"]);
echo preg_replace(['/\(\d.*\)/', '/x{100,}/'], ['(...)', 'x...'], str_replace($dir, 'DIR', $out));
var_dump(rdump_test_ls($dir));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
bool(true)
%r(ValueError: rdump_set_oom_dump\(\): Argument #1 \(\$path\) must not contain any null bytes|Warning: rdump_set_oom_dump\(\) expects parameter 1 to be a valid path, string given)%r
%r(TypeError: rdump_set_oom_dump\(\): Argument #1 \(\$path\) must be of type \?string, array given|Warning: rdump_set_oom_dump\(\) expects parameter 1 to be a valid path, array given)%r
bool(true)

Warning: rdump_set_oom_dump(): Cannot use '/x...' as OOM dump path: File name too long in Command line code on line %d
bool(false)

Warning: rdump: memory_limit dump written to 'DIR/kept.rdump' (...) in Command line code on line 1

Fatal error: Allowed memory size of 16777216 bytes exhausted %s
array(1) {
  [0]=>
  string(10) "kept.rdump"
}
