--TEST--
ZTS: four interpreter threads in one process dump (also in the background) and hit memory_limit at once, while the others allocate and free; every dump is valid, names its own thread and walks to that thread's stack
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
if (!PHP_ZTS) die('skip needs a ZTS build of PHP (the matrix builds one)');
$config = dirname(PHP_BINARY) . '/php-config';
if (!is_executable($config)) die('skip needs php-config next to the PHP binary');
$prefix = trim((string)shell_exec(escapeshellarg($config) . ' --prefix'));
if (!glob("$prefix/lib/libphp*.so")) die('skip needs the embed SAPI (libphp.so) of this build');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$config = dirname(PHP_BINARY) . '/php-config';
$prefix = trim(shell_exec(escapeshellarg($config) . ' --prefix'));
$includes = preg_split('/\s+/', trim(shell_exec(escapeshellarg($config) . ' --includes')));
$lib = basename(glob("$prefix/lib/libphp*.so")[0], '.so');
$cmd = array_merge(['cc', '-O1', '-o', "$dir/zts_threads", __DIR__ . '/helpers/zts_threads.c'], $includes,
    ["-L$prefix/lib", "-Wl,-rpath,$prefix/lib", '-l' . substr($lib, 3), '-lpthread']);
list($rc, $out, $err) = rdump_test_run($cmd);
if ($rc !== 0) {
    die("cannot build the harness: $err");
}

/* php.ini for the embedded interpreter: rdump, a 16 MiB limit per thread,
 * an OOM dump per thread (%i), at most one per thread. */
file_put_contents("$dir/php.ini", implode("\n", [
    'extension=' . rdump_test_so(), 'memory_limit=16M', 'display_errors=1', 'log_errors=0',
    "rdump.oom_dump=$dir/oom-%i.rdump", 'rdump.oom_dump_max=1', '',
]));
/* Each thread: five rounds of allocating 2-3 MiB and freeing half of it
 * around a dump (in round 2 also a background snapshot, forked from that
 * thread while the others run), then allocation until memory_limit kills
 * the request. */
$code = <<<PHP
\$keep = [];
for (\$r = 0; \$r < 5; \$r++) {
    for (\$i = 0; \$i < 600; \$i++) { \$keep[] = str_repeat(chr(65 + (\$i + \$tid) % 26), 3000 + \$i); }
    if (!rdump_dump("$dir/t-\$tid-\$r.rdump")) { echo "thread \$tid: dump \$r failed\\n"; }
    if (\$r === 2 && !rdump_dump("$dir/b-\$tid.rdump", false, true)) { echo "thread \$tid: background dump failed\\n"; }
    \$keep = array_slice(\$keep, 300);
}
\$a = [];
while (true) { \$a[] = str_repeat('x', 65536); }
PHP;
$env = rdump_test_env();
$env['PHPRC'] = $dir;
list($rc, $out, $err) = rdump_test_run(["$dir/zts_threads", '4', $code], $env);
echo "harness exit $rc: ", trim(preg_replace('/^(?!threads:).*\n?/m', '', $out)), "\n";
echo "fatal errors: ", preg_match_all('/Allowed memory size of \d+ bytes exhausted/', $out), "\n";
echo "failed dumps: ", preg_match_all('/dump \d+ failed/', $out), "\n";

$eg = [];
$pids = [];
$valid = 0;
/* The background snapshots (one per thread, forked from that thread while
 * the others ran) appear when complete. */
for ($i = 0; $i < 600 && count(glob("$dir/b-*.rdump")) < 4; $i++) {
    usleep(50000);
}
$files = array_merge(glob("$dir/t-*.rdump"), glob("$dir/oom-*.rdump"), glob("$dir/b-*.rdump"));
/* The stack each kind of dump must walk to (the code runs as <main>). */
$stacks = ['t' => 'rdump_dump <- <main>:4', 'b' => 'rdump_dump <- <main>:5', 'oom' => 'str_repeat <- <main>:9'];
$walked = [];
foreach ($files as $f) {
    $d = rdump_test_load($f);   /* dies with the reason if the inspector rejects it */
    $valid++;
    $kind = strtok(basename($f), '-');
    list($rc, $out) = rdump_test_walk($f, ['--stack']);
    if ($rc === 0 && rdump_test_walk_parse($out)['stack'] === $stacks[$kind]) {
        $walked[] = $f;
    } else {
        echo basename($f), ": walker exit $rc, ", trim($out), "\n";
    }
    $pids[$d['pid']] = true;
    if (preg_match('/t-(\d)-\d\.rdump$/', $f, $m)) {
        $eg[$m[1]][$d['eg_address']] = true;
    }
}
echo "dumps: ", count(glob("$dir/t-*.rdump")), " by rdump_dump, ", count(glob("$dir/b-*.rdump")),
    " in the background, ", count(glob("$dir/oom-*.rdump")), " at memory_limit; valid: $valid\n";
echo "one pid in every header: ", count($pids) === 1 ? 'yes' : 'no', "\n";
echo "walked to their thread's stack: ", count($walked), "\n";
/* Each thread's dumps carry that thread's executor globals. */
$per_thread = array_map('count', $eg);
$all = [];
foreach ($eg as $set) {
    $all += $set;
}
echo "threads with one EG each: ", count(array_filter($per_thread, function ($n) { return $n === 1; })),
    ", distinct EGs: ", count($all), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
harness exit 0: threads: 4, failed: 0
fatal errors: 4
failed dumps: 0
dumps: 20 by rdump_dump, 4 in the background, 4 at memory_limit; valid: 28
one pid in every header: yes
walked to their thread's stack: 28
threads with one EG each: 4, distinct EGs: 4
