--TEST--
Default (resident-only) dumps of 1, 100, 500 and 5,000 objects read in full: the walker counts every object and finds the stack, reli's analyser too (after the suite), with the same figures as a whole-mapping dump of the same state
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* Line 1 of the child's code is RDUMP_TEST_EAT. The two dumps of each
 * count come from two runs of the same code with paths of one length,
 * so their heaps hold the same. */
$code = 'class RelObj { public $n; function __construct($n) { $this->n = $n; } }
function rel_snap($path) { return rdump_dump($path); }
$objs = []; for ($i = 0; $i < (int)$argv[2]; $i++) { $objs[] = new RelObj($i); }
var_dump(rel_snap($argv[1]));';
$stack = 'rdump_dump <- rel_snap:3 <- <main>:5';
foreach ([1, 100, 500, 5000] as $n) {
    $name = sprintf('%05d', $n);
    foreach (['r' => '1', 'w' => '0'] as $kind => $resident) {
        $dump = "$dir/$kind-$name.rdump";
        list($rc, $out, $err) = rdump_test_child(['rdump.resident_only' => $resident], $code, [$dump, $n]);
        if ($rc !== 0 || trim($out) !== 'bool(true)') {
            echo "$kind-$name: child exit $rc: $out$err\n";
        }
        $line = rdump_test_walk_line($dump, ['RelObj']);
        echo "$kind-$name: ", $line === "$stack | RelObj=$n" ? 'ok' : $line, "\n";
    }
    rdump_test_expect("$dir/r-$name.rdump", ['classes' => ['RelObj' => $n], 'stack' => $stack,
        'twin' => "w-$name.rdump"]);
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
r-00001: ok
w-00001: ok
r-00100: ok
w-00100: ok
r-00500: ok
w-00500: ok
r-05000: ok
w-05000: ok
