--TEST--
rdump_dump() from a nested call: walking the dump offline finds the call stack with its lines, the live objects by class and a global's value
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
if (!is_executable(__DIR__ . '/../modules/rdump-walk')) die('skip modules/rdump-walk not built (scripts/build.sh builds it)');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* Line 1 of the child's code is RDUMP_TEST_EAT; this code starts on line 2. */
$code = 'class WalkFoo { public $n; function __construct($n) { $this->n = $n; } }
function walk_inner($path) { return rdump_dump($path); }
function walk_outer($path) { return walk_inner($path); }
$walk_foos = [];
for ($i = 0; $i < 7; $i++) { $walk_foos[] = new WalkFoo($i); }
$walk_marker = 12345;
var_dump(walk_outer($argv[1]));';
list($rc, $out, $err) = rdump_test_child(['rdump.resident_only' => '0'], $code, ["$dir/walk.rdump"]);
echo "child: exit $rc, $out$err";

list($rc, $out, $err) = rdump_test_walk("$dir/walk.rdump", ['--stack', '--objects', '--global=walk_marker', '--global=walk_absent']);
echo "walker: exit $rc$err\n";
$walk = rdump_test_walk_parse($out);
echo "stack: $walk[stack]\n";
echo "WalkFoo: ", $walk['objects']['WalkFoo'] ?? 0, "\n";
var_dump($walk['total'] >= 7);
foreach ($walk['globals'] as $name => $value) {
    echo "$name: $value\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
child: exit 0, bool(true)
walker: exit 0
stack: rdump_dump <- walk_inner:3 <- walk_outer:4 <- <main>:8
WalkFoo: 7
bool(true)
walk_marker: int(12345)
walk_absent: undef
