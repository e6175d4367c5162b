--TEST--
OOM dump path templates: %p %i %t %h %%, unknown codes and a trailing % kept, a too-long expansion skips the dump
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();

/* Every code at once, through rdump_set_oom_dump() and through the INI. */
foreach (['override', 'ini'] as $how) {
    $tpl = "$dir/$how-%p-%i-%t-%h-%%-%x-%";
    $t0 = time();
    list($rc, $out) = $how === 'override'
        ? rdump_test_child([], 'echo getmypid(), "\n"; rdump_set_oom_dump($argv[1]); rdump_test_eat();', [$tpl])
        : rdump_test_child(['rdump.oom_dump' => $tpl], 'echo getmypid(), "\n"; rdump_test_eat();');
    $t1 = time();
    $pid = (int)$out;
    $files = glob("$dir/$how-*");
    echo "$how: ", count($files), " file\n";
    $name = basename($files[0]);
    $re = '/^' . $how . '-(\d+)-(\d+)-(\d+)-(.+)-%-%x-%$/';
    if (!preg_match($re, $name, $m)) {
        echo "unexpected name $name\n";
        continue;
    }
    /* CLI runs PHP on its main thread, whose thread id is the pid. */
    var_dump((int)$m[1] === $pid, (int)$m[2] === $pid, $m[3] >= $t0 && $m[3] <= $t1, $m[4] === gethostname());
    var_dump(strpos($out, "dump written to '$dir/$name'") !== false);
}

/* 2000 × %p: the template fits the path limit, its expansion does not.
 * The dump is skipped, never written to the unexpanded literal. */
$long = $dir . '/' . str_repeat('%p', 2000);
list($rc, $out) = rdump_test_child([], 'rdump_set_oom_dump($argv[1]); rdump_test_eat();', [$long]);
echo rdump_test_outcome($out, $dir), "\n";
var_dump(count(glob("$dir/*")));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
override: 1 file
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
ini: 1 file
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
rdump: memory_limit dump skipped: the path template expands past the path length limit
int(2)
