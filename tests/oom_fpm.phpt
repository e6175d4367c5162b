--TEST--
OOM dump under real php-fpm: a static pool of 3 workers, 12 concurrent OOM requests, exactly one valid dump per worker, every worker still serving
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_fpm();
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
chmod($dir, 0755);
mkdir("$dir/www");
mkdir("$dir/dumps");
file_put_contents("$dir/www/oom.php", '<?php ' . RDUMP_TEST_EAT . ' usleep(300000); rdump_test_eat();');
file_put_contents("$dir/www/pid.php", '<?php usleep(300000); echo "pid=", getmypid();');

list($master, $sock) = rdump_test_fpm_start($dir, [
    'rdump.oom_dump' => "$dir/dumps/oom-%p.rdump",
    'rdump.oom_dump_max' => '1',
    'memory_limit' => '16M',
]);
$workers = rdump_test_children($master);
echo "workers: ", count($workers), "\n";

/* 12 concurrent OOM requests: each takes 300 ms before it dies, so all
 * three workers are busy and each serves about four. */
$bodies = rdump_test_fcgi_concurrent($sock, "$dir/www/oom.php", 12);
$written = $skipped = $fatal = 0;
foreach ($bodies as $b) {
    $fatal += strpos($b, 'Allowed memory size of') !== false;
    $written += strpos($b, 'rdump: memory_limit dump written to') !== false;
    $skipped += strpos($b, 'rdump: memory_limit dump skipped: rdump.oom_dump_max=1 reached') !== false;
}
echo "fatal: $fatal, written: $written, skipped: $skipped\n";

$dumps = rdump_test_ls("$dir/dumps");
$expected = array_map(function ($p) { return "oom-$p.rdump"; }, $workers);
sort($expected);
var_dump($dumps === $expected);
foreach ($dumps as $f) {
    $d = rdump_test_load("$dir/dumps/$f");
    if ("oom-{$d['pid']}.rdump" !== $f) echo "pid mismatch in $f\n";
}

/* Still serving, by the same workers (none died and was respawned). */
$pids = [];
foreach (rdump_test_fcgi_concurrent($sock, "$dir/www/pid.php", 9) as $b) {
    if (preg_match('/pid=(\d+)/', $b, $m)) $pids[(int)$m[1]] = true;
}
$pids = array_keys($pids);
sort($pids);
var_dump($pids === $workers, rdump_test_children($master) === $workers);

rdump_test_fpm_stop($master);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
workers: 3
fatal: 12, written: 3, skipped: 9
bool(true)
bool(true)
bool(true)
