--TEST--
OOM dump: the stack is the one where memory ran out (the internal function that failed on top, the user frame on the fatal error's line, no UnwindExit), resident and whole
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* Line 1 of the child's code is RDUMP_TEST_EAT. */
$code = 'function c() { $x = str_repeat("x", 40 << 20); }
function b() { c(); }
b();';
$runs = ['r' => [], 'w' => ['rdump.resident_only' => '0']];
$stack = 'str_repeat <- c:2 <- b:3 <- <main>:4';
foreach ($runs as $kind => $ini) {
    $dump = "$dir/$kind.rdump";
    list($rc, $out, $err) = rdump_test_child(['rdump.oom_dump' => $dump] + $ini, $code);
    $fatal = preg_match('/Allowed memory size of \d+ bytes exhausted.* on line (\d+)/', $out . $err, $m) ? $m[1] : '?';
    $line = rdump_test_walk_line($dump, ['UnwindExit']);
    echo "$kind: exit $rc, fatal error on line $fatal, ", $line === "$stack | UnwindExit=0" ? 'ok' : $line, "\n";
}
rdump_test_expect("$dir/r.rdump", ['classes' => ['UnwindExit' => 0], 'stack' => $stack, 'twin' => 'w.rdump']);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
r: exit 255, fatal error on line 2, ok
w: exit 255, fatal error on line 2, ok
