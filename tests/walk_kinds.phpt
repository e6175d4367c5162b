--TEST--
Every kind of dump reads true: plain, full, background, on a signal, with opcache on and off; the walker finds each one's stack, its objects and a global, and reli's analyser its stack and objects (after the suite)
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* Line 1 of the child's code is RDUMP_TEST_EAT. */
$code = 'class Kind { public $n; function __construct($n) { $this->n = $n; } }
function kind_snap($path, $how) { return rdump_dump($path, $how === "full", $how === "bg"); }
function kind_busy($dir) { echo "ready\n"; while (!file_exists("$dir/stop")) { usleep(1000); } return 1; }
$kinds = [new Kind(1), new Kind(2), new Kind(3)];
$kind_marker = "kind-marker-" . $argv[2];
if ($argv[2] === "signal") { kind_busy(dirname($argv[1])); } else { var_dump(kind_snap($argv[1], $argv[2])); }';
$snap = 'rdump_dump <- kind_snap:3 <- <main>:7';
/* A signal is taken at the next VM interrupt check: after an internal
 * call of the loop returns, or (PHP 8.4+) while its frame is still up. */
$busy = 'kind_busy:4 <- <main>:7';
$opcache = rdump_test_opcache();
$kinds = [
    'plain' => [[], $snap],
    'full' => [[], $snap],
    'bg' => [[], $snap],
    'opcache-off' => [['opcache.enable_cli' => '0'], $snap],
    'opcache-on' => [['opcache.enable_cli' => '1'], $snap],
    'signal' => [['rdump.signal' => 'SIGUSR2', 'zend.signal_check' => '0'], $busy],
];
foreach ($kinds as $kind => list($ini, $stack)) {
    $dump = "$dir/$kind.rdump";
    $cmd = rdump_test_php();
    if (strpos($kind, 'opcache') === 0) {
        if ($opcache === null) {
            echo "$kind: this PHP has no opcache\n";
            continue;
        }
        $cmd = array_merge($cmd, $opcache);
    }
    $ini += ['rdump.signal_dump' => $dump];
    foreach ($ini as $k => $v) {
        array_push($cmd, '-d', "$k=$v");
    }
    array_push($cmd, '-r', RDUMP_TEST_EAT . "\n" . $code, $dump, $kind);
    if ($kind === 'signal') {
        $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, rdump_test_env());
        fgets($pipes[1]);
        posix_kill_or_shell(proc_get_status($p)['pid'], 12);
        rdump_test_wait_file($dump);
        touch("$dir/stop");
        stream_get_contents($pipes[1]);
        stream_get_contents($pipes[2]);
        proc_close($p);
    } else {
        list($rc, $out, $err) = rdump_test_run($cmd, rdump_test_env());
        if ($rc !== 0 || trim($out) !== 'bool(true)') {
            echo "$kind: child exit $rc: $out$err\n";
        }
    }
    if (!rdump_test_wait_file($dump)) {
        echo "$kind: no dump\n";
        continue;
    }
    list($rc, $out, $err) = rdump_test_walk($dump, ['--stack', '--objects', '--global=kind_marker']);
    $walk = rdump_test_walk_parse($out);
    if ($kind === 'signal' && preg_match('/^(usleep|file_exists) <- (.*)$/', $walk['stack'], $m)) {
        $walk['stack'] = $m[2];
    }
    $got = "$walk[stack] | Kind=" . ($walk['objects']['Kind'] ?? 0) . ' | ' . ($walk['globals']['kind_marker'] ?? '');
    $want = "$stack | Kind=3 | string(" . strlen("kind-marker-$kind") . ") \"kind-marker-$kind\"";
    echo "$kind: ", $rc === 0 && $got === $want ? 'ok' : "walker exit $rc$err: $got", "\n";
    rdump_test_expect($dump, ['classes' => ['Kind' => 3]] + ($kind === 'signal' ? [] : ['stack' => $stack]));
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
plain: ok
full: ok
bg: ok
opcache-off: ok
opcache-on: ok
signal: ok
