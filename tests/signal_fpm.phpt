--TEST--
rdump.signal under a real php-fpm pool: SIGUSR2 to a busy worker dumps it mid-request, to an idle one at its next request; the master and the other workers are unaffected and requests keep being served
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
file_put_contents("$dir/www/pid.php", '<?php usleep(300000); echo "pid=", getmypid();');
file_put_contents("$dir/www/busy.php", '<?php $mark = str_repeat("busy-request-", 4); file_put_contents("'
    . $dir . '/busy.pid", (string)getmypid()); while (!file_exists("' . $dir . '/stop")) { usleep(1000); } echo "done ", strlen($mark);');

list($master, $sock) = rdump_test_fpm_start($dir, [
    'rdump.signal' => 'SIGUSR2',
    'rdump.signal_dump' => "$dir/dumps/sig-%p.rdump",
]);
$workers = rdump_test_children($master);
echo "workers: ", count($workers), "\n";
$served = function () use ($sock, $dir) {
    $pids = [];
    foreach (rdump_test_fcgi_concurrent($sock, "$dir/www/pid.php", 9) as $b) {
        if (preg_match('/pid=(\d+)/', $b, $m)) $pids[(int)$m[1]] = true;
    }
    $pids = array_keys($pids);
    sort($pids);
    return $pids;
};
$wait = function (callable $ready) {
    for ($i = 0; $i < 400 && !$ready(); $i++) usleep(25000);
    return $ready();
};
/* Every worker serves a request first (php-fpm resets the handler after
 * fork; rdump puts it back at each request start). */
var_dump($served() === $workers);

/* A long request; SIGUSR2 to the worker that serves it. */
$env = ['SCRIPT_FILENAME' => "$dir/www/busy.php", 'SCRIPT_NAME' => '/busy.php', 'REQUEST_METHOD' => 'GET',
    'QUERY_STRING' => '', 'PATH' => getenv('PATH')];
$busy = proc_open('cgi-fcgi -bind -connect ' . escapeshellarg($sock), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
$wait(function () use ($dir) { return is_file("$dir/busy.pid"); });
$busy_pid = (int)file_get_contents("$dir/busy.pid");
posix_kill_or_shell($busy_pid, 12);
echo "busy worker dumped: ", var_export($wait(function () use ($dir, $busy_pid) { return is_file("$dir/dumps/sig-$busy_pid.rdump"); }), true), "\n";
list(, $json) = rdump_test_inspect("$dir/dumps/sig-$busy_pid.rdump", ['--json', '--find=busy-request-busy-request-']);
$d = json_decode($json, true);
echo "its dump: valid ", var_export(is_array($d), true), ", its pid ", var_export(($d['pid'] ?? 0) === $busy_pid, true),
    ", the request's string in it ", count($d['finds']['busy-request-busy-request-'] ?? []) > 0 ? 'yes' : 'no', "\n";
touch("$dir/stop");
echo "the long request completed: ", preg_match('/done 52/', stream_get_contents($pipes[1])) ? 'yes' : 'no', "\n";
fclose($pipes[1]);
fclose($pipes[2]);
proc_close($busy);

/* An idle worker: the request is kept, and taken at its next request. */
$idle = current(array_diff($workers, [$busy_pid]));
posix_kill_or_shell($idle, 12);
usleep(200000);
echo "idle worker still alive: ", var_export(is_dir("/proc/$idle"), true), "\n";
var_dump($served() === $workers);
echo "idle worker dumped at its next request: ", var_export($wait(function () use ($dir, $idle) { return is_file("$dir/dumps/sig-$idle.rdump"); }), true), "\n";
rdump_test_load("$dir/dumps/sig-$idle.rdump");

/* Nothing else dumped, the master and the same workers are all there. */
echo "dumps: ", count(rdump_test_ls("$dir/dumps")), "\n";
var_dump(rdump_test_children($master) === $workers);
rdump_test_fpm_stop($master);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
workers: 3
bool(true)
busy worker dumped: true
its dump: valid true, its pid true, the request's string in it yes
the long request completed: yes
idle worker still alive: true
bool(true)
idle worker dumped at its next request: true
dumps: 2
bool(true)
