--TEST--
OOM dump guards on one long-lived worker (built-in server): oom_dump_max, min_interval, the disk budget, and the per-request override
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$root = rdump_test_dir();
$www = "$root/www";
mkdir($www);
file_put_contents("$www/oom.php", '<?php ' . RDUMP_TEST_EAT . ' rdump_test_eat();');
file_put_contents("$www/pid.php", '<?php echo getmypid();');
file_put_contents("$www/override.php", '<?php ' . RDUMP_TEST_EAT . '
    $p = $_GET["p"] ?? null;
    var_dump(rdump_set_oom_dump($p === "null" ? null : $p));
    if (isset($_GET["then"])) { var_dump(rdump_set_oom_dump($_GET["then"] === "null" ? null : $_GET["then"])); }
    rdump_test_eat();');

function run_case(string $title, string $root, array $ini, callable $steps): void {
    echo "== $title\n";
    $dumps = "$root/dumps";
    rdump_test_rmdir($dumps);
    mkdir($dumps);
    list($proc, $url, $log) = rdump_test_server("$root/www", $ini + ['rdump.oom_dump' => "$dumps/oom-%p-%t.rdump"]);
    $pid = (int)rdump_test_get("$url/pid.php");
    $steps($url, $dumps);
    echo "same worker: ", var_export((int)rdump_test_get("$url/pid.php") === $pid, true), "\n";
    rdump_test_stop($proc);
    foreach (array_merge(glob("$dumps/oom-*.rdump"), glob("$dumps/ovr*.rdump")) as $f) {
        list($rc) = rdump_test_inspect($f);
        if ($rc !== 0) echo "INVALID DUMP $f\n";
    }
}
function oom(string $url, string $dir, string $script = 'oom.php'): void {
    $line = rdump_test_outcome(rdump_test_get("$url/$script"), $dir);
    echo preg_replace(['/oom-\d+-\d+/', '/ovr-\d+/', '/\d+s ago/',
        '/\(\S+ \S+ in \*\.rdump files there \+ at least \S+ \S+ for this dump\)/'],
        ['oom-PID-T', 'ovr-PID', 'Ns ago', '(EXISTING in *.rdump files there + at least HEAP for this dump)'], $line), "\n";
}
function count_dumps(string $dir, string $pattern = 'oom-*.rdump'): int {
    return count(glob("$dir/$pattern"));
}

run_case('oom_dump_max=1: one dump over three OOM requests', $root, ['rdump.oom_dump_max' => '1'],
    function ($url, $dir) {
        oom($url, $dir); oom($url, $dir); oom($url, $dir);
        echo "dumps: ", count_dumps($dir), "\n";
    });

run_case('oom_dump_min_interval=2: spaced dumps', $root,
    ['rdump.oom_dump_max' => '0', 'rdump.oom_dump_min_interval' => '2'],
    function ($url, $dir) {
        oom($url, $dir); oom($url, $dir);
        usleep(2100000);
        oom($url, $dir);
        echo "dumps: ", count_dumps($dir), "\n";
    });

run_case('oom_dump_max_total=200M: only regular *.rdump files count', $root,
    ['rdump.oom_dump_max' => '0', 'rdump.oom_dump_max_total' => '200M'],
    function ($url, $dir) {
        /* Sparse files: sizes without disk use. Neither the symlink nor the
         * other extension counts; the 100M regular dump does. */
        $big = "$dir/../big-elsewhere.rdump";
        $h = fopen($big, 'w'); ftruncate($h, 1 << 30); fclose($h);
        symlink($big, "$dir/link.rdump");
        $h = fopen("$dir/other.bin", 'w'); ftruncate($h, 1 << 30); fclose($h);
        $h = fopen("$dir/old.rdump", 'w'); ftruncate($h, 100 << 20); fclose($h);
        oom($url, $dir);
        $h = fopen("$dir/older.rdump", 'w'); ftruncate($h, 90 << 20); fclose($h);
        oom($url, $dir);
        echo "dumps: ", count_dumps($dir), "\n";
        unlink($big);
    });

run_case('rdump_set_oom_dump(): lasts one request', $root, ['rdump.oom_dump_max' => '0'],
    function ($url, $dir) {
        oom($url, $dir, 'override.php?p=' . urlencode("$dir/ovr-%p.rdump"));
        oom($url, $dir);
        oom($url, $dir, 'override.php?p=');
        sleep(1); /* a new %t: the next INI-path dump gets its own file */
        oom($url, $dir, 'override.php?p=' . urlencode("$dir/ovr2.rdump") . '&then=null');
        echo "ini dumps: ", count_dumps($dir), ", override dumps: ", count_dumps($dir, 'ovr*.rdump'), "\n";
    });
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
== oom_dump_max=1: one dump over three OOM requests
rdump: memory_limit dump written to 'DIR/oom-PID-T.rdump' (SIZE in N regions)
rdump: memory_limit dump skipped: rdump.oom_dump_max=1 reached (1 attempted by this worker)
rdump: memory_limit dump skipped: rdump.oom_dump_max=1 reached (1 attempted by this worker)
dumps: 1
same worker: true
== oom_dump_min_interval=2: spaced dumps
rdump: memory_limit dump written to 'DIR/oom-PID-T.rdump' (SIZE in N regions)
rdump: memory_limit dump skipped: rdump.oom_dump_min_interval=2 not elapsed (last attempt Ns ago)
rdump: memory_limit dump written to 'DIR/oom-PID-T.rdump' (SIZE in N regions)
dumps: 2
same worker: true
== oom_dump_max_total=200M: only regular *.rdump files count
rdump: memory_limit dump written to 'DIR/oom-PID-T.rdump' (SIZE in N regions)
rdump: memory_limit dump skipped: rdump.oom_dump_max_total=200.0 MiB would be reached (EXISTING in *.rdump files there + at least HEAP for this dump) for 'DIR/oom-PID-T.rdump'
dumps: 1
same worker: true
== rdump_set_oom_dump(): lasts one request
rdump: memory_limit dump written to 'DIR/ovr-PID.rdump' (SIZE in N regions)
rdump: memory_limit dump written to 'DIR/oom-PID-T.rdump' (SIZE in N regions)
(no rdump line)
rdump: memory_limit dump written to 'DIR/oom-PID-T.rdump' (SIZE in N regions)
ini dumps: 2, override dumps: 1
same worker: true
