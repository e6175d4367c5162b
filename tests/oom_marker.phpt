--TEST--
OOM dump marker: a stale <path>.done is removed before the dump starts; a failed dump leaves neither dump nor marker; a good one leaves both
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$ini = ['rdump.oom_dump' => "$dir/m.rdump", 'rdump.oom_dump_marker' => '1'];

/* A stale marker from an earlier dump, and a dump that fails: the file
 * size limit stops it, so the marker must not claim anything. */
touch("$dir/m.rdump.done");
$cmd = ['sh', '-c', 'ulimit -f 64 && exec "$@"', 'sh'];
$php = rdump_test_php();
foreach ($ini + ['memory_limit' => '16M', 'display_errors' => '1'] as $k => $v) {
    array_push($php, '-d', "$k=$v");
}
list($rc, $out) = rdump_test_run(array_merge($cmd, $php, ['-r', RDUMP_TEST_EAT . ' rdump_test_eat();']), rdump_test_env());
echo rdump_test_outcome($out, $dir), "\n";
var_dump(rdump_test_ls($dir));

/* The same with room: both appear, the marker no older than the dump. */
touch("$dir/m.rdump.done", time() - 3600);
list($rc, $out) = rdump_test_child($ini, 'rdump_test_eat();');
echo preg_replace('/\(.*\)/', '(...)', rdump_test_outcome($out, $dir)), "\n";
var_dump(rdump_test_ls($dir));
clearstatcache();
var_dump(filemtime("$dir/m.rdump.done") >= filemtime("$dir/m.rdump"));
var_dump(rdump_test_inspect("$dir/m.rdump")[0]);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
rdump: memory_limit dump to 'DIR/m.rdump' failed: cannot write dump file: File too large
array(0) {
}
rdump: memory_limit dump written to 'DIR/m.rdump' (...)
array(2) {
  [0]=>
  string(7) "m.rdump"
  [1]=>
  string(12) "m.rdump.done"
}
bool(true)
int(0)
