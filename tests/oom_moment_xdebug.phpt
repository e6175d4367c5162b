--TEST--
OOM dump under Xdebug (develop mode): the stack is still the one where memory ran out, the internal function that failed on top
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_xdebug();
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* Line 1 of the child's code is RDUMP_TEST_EAT. */
$code = 'function c() { $x = str_repeat("x", 40 << 20); }
function b() { c(); }
b();';
$runs = ['x' => ['zend_extension' => rdump_test_xdebug(), 'xdebug.mode' => 'develop']];
$stack = 'str_repeat <- c:2 <- b:3 <- <main>:4';
foreach ($runs as $kind => $ini) {
    $dump = "$dir/$kind.rdump";
    list($rc, $out, $err) = rdump_test_child(['rdump.oom_dump' => $dump] + $ini, $code);
    $fatal = preg_match('/Allowed memory size of \d+ bytes exhausted.* on line (\d+)/', $out . $err, $m) ? $m[1] : '?';
    $line = rdump_test_walk_line($dump, ['UnwindExit']);
    echo "$kind: exit $rc, fatal error on line $fatal, ", $line === "$stack | UnwindExit=0" ? 'ok' : $line, "\n";
}
rdump_test_expect("$dir/x.rdump", ['classes' => ['UnwindExit' => 0], 'stack' => $stack]);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
x: exit 255, fatal error on line 2, ok
