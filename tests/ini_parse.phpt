--TEST--
INI: every rdump.* value is parsed once; invalid values warn naming the setting and keep the default
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
/* [setting, value]: phpinfo()'s "effective" table shows what rdump
 * understood; a startup warning shows what it refused. */
$cases = [
    ['rdump.oom_dump_max_total', '0'], ['rdump.oom_dump_max_total', '1024'],
    ['rdump.oom_dump_max_total', '10k'], ['rdump.oom_dump_max_total', '10K'],
    ['rdump.oom_dump_max_total', '512M'], ['rdump.oom_dump_max_total', '1.5G'],
    ['rdump.oom_dump_max_total', ' 2T '], ['rdump.oom_dump_max_total', '0.5k'],
    ['rdump.oom_dump_max_total', '1.25m'], ['rdump.oom_dump_max_total', '16777215T'],
    ['rdump.oom_dump_max_total', ''], ['rdump.oom_dump_max_total', 'abc'],
    ['rdump.oom_dump_max_total', '-1'], ['rdump.oom_dump_max_total', '1,5G'],
    ['rdump.oom_dump_max_total', '1.5X'], ['rdump.oom_dump_max_total', '16777216T'],
    ['rdump.oom_dump_max_total', '99999999999999999999'], ['rdump.oom_dump_max_total', 'G'],
    ['rdump.oom_dump_max', '0'], ['rdump.oom_dump_max', '5'], ['rdump.oom_dump_max', '2147483647'],
    ['rdump.oom_dump_max', '2147483648'], ['rdump.oom_dump_max', '-1'], ['rdump.oom_dump_max', ''],
    ['rdump.oom_dump_max', '1.5'], ['rdump.oom_dump_max', 'ten'],
    ['rdump.oom_dump_min_interval', '30'], ['rdump.oom_dump_min_interval', '-5'],
    ['rdump.oom_dump_min_interval', 'abc'], ['rdump.oom_dump_min_interval', '99999999999'],
    ['rdump.oom_dump_full', 'on'], ['rdump.oom_dump_full', 'TRUE'], ['rdump.oom_dump_full', 'off'],
    ['rdump.oom_dump_full', 'maybe'], ['rdump.oom_dump_marker', 'yes'], ['rdump.oom_dump_marker', '2'],
    ['rdump.oom_dump', '/var/tmp/oom-%p.rdump'], ['rdump.oom_dump', ''],
    ['rdump.oom_dump', 'relative/oom.rdump'], ['rdump.oom_dump', '/var/tmp/o-%%%%-%'],
    ['rdump.resident_only', '0'], ['rdump.resident_only', 'on'], ['rdump.resident_only', 'sometimes'],
    ['rdump.include_dontdump', '1'], ['rdump.include_dontdump', '-1'],
    ['rdump.safe_read', '1'], ['rdump.safe_read', 'off'], ['rdump.safe_read', 'auto'],
    ['rdump.flush_behind', 'auto'], ['rdump.flush_behind', ' AUTO '], ['rdump.flush_behind', 'on'],
    ['rdump.flush_behind', '0'], ['rdump.flush_behind', 'automatic'],
    ['rdump.signal', ''], ['rdump.signal', 'SIGUSR2'], ['rdump.signal', 'usr1'], ['rdump.signal', ' 12 '],
    ['rdump.signal', 'SIGRTMIN+2'], ['rdump.signal', 'SIGHUP'], ['rdump.signal', 'SIGKILL'], ['rdump.signal', 'STOP'],
    ['rdump.signal', 'SIGSEGV'], ['rdump.signal', 'SIGTERM'], ['rdump.signal', '9'], ['rdump.signal', 'SIGFOO'],
    ['rdump.signal', '999'], ['rdump.signal', 'RTMIN+99'], ['rdump.signal', '-12'],
    ['rdump.oom_dump_background', '1'], ['rdump.oom_dump_background', 'later'],
    ['rdump.signal_dump', '/var/tmp/sig-%p.rdump'], ['rdump.signal_dump', ''],
    ['rdump.signal_dump', 'relative/sig.rdump'], ['rdump.signal_dump', '/var/tmp/s-%%%%-%'],
    ['rdump.signal_dump_full', 'yes'], ['rdump.signal_dump_full', 'maybe'],
    ['rdump.signal_dump_background', 'on'], ['rdump.signal_dump_background', '2'],
];
$labels = [
    'rdump.oom_dump' => 'path template', 'rdump.oom_dump_full' => 'embed read-only mappings',
    'rdump.oom_dump_max' => 'dumps per worker', 'rdump.oom_dump_min_interval' => 'minimum interval (s)',
    'rdump.oom_dump_max_total' => 'disk budget (bytes)', 'rdump.oom_dump_marker' => 'completion marker',
    'rdump.resident_only' => 'memory captured', 'rdump.include_dontdump' => 'MADV_DONTDUMP mappings',
    'rdump.safe_read' => 'copy path', 'rdump.flush_behind' => 'page cache', 'rdump.signal' => 'signal',
    'rdump.oom_dump_background' => 'in the background',
    'rdump.signal_dump' => 'path template', 'rdump.signal_dump_full' => 'embed read-only mappings',
    'rdump.signal_dump_background' => 'in the background',
];
foreach ($cases as list($name, $value)) {
    $cmd = array_merge(rdump_test_php(), ['-d', "$name=$value", '-d', 'display_startup_errors=1', '--ri', 'rdump']);
    list($rc, $out, $err) = rdump_test_run($cmd);
    $all = $out . $err;
    /* The signal dump's rows have the same labels as the OOM dump's, in
     * their own table further down. */
    $table = strpos($name, 'rdump.signal_dump') === 0 ? (string)strstr($out, 'Signal dump (effective)') : $all;
    preg_match('/^' . preg_quote($labels[$name], '/') . ' => (.*)$/m', $table, $m);
    $warned = preg_match("/Invalid value '" . preg_quote($value, '/') . "' for " . preg_quote($name, '/')
        . ": expected [^;]+; keeping the default/", $all);
    $shown = $m[1] ?? '?';
    /* rdump.safe_read's default depends on the build (on under ZTS). */
    if ($name === 'rdump.safe_read' && $warned && $shown === (PHP_ZTS ? '/proc/self/mem' : 'write(2) from memory')) {
        $shown = 'the build\'s default';
    }
    printf("%s=%s -> %s%s\n", $name, var_export($value, true), $warned ? 'warning, ' : '', $shown);
}
?>
--EXPECT--
rdump.oom_dump_max_total='0' -> off
rdump.oom_dump_max_total='1024' -> 1024
rdump.oom_dump_max_total='10k' -> 10240
rdump.oom_dump_max_total='10K' -> 10240
rdump.oom_dump_max_total='512M' -> 536870912
rdump.oom_dump_max_total='1.5G' -> 1610612736
rdump.oom_dump_max_total=' 2T ' -> 2199023255552
rdump.oom_dump_max_total='0.5k' -> 512
rdump.oom_dump_max_total='1.25m' -> 1310720
rdump.oom_dump_max_total='16777215T' -> 18446742974197923840
rdump.oom_dump_max_total='' -> warning, off
rdump.oom_dump_max_total='abc' -> warning, off
rdump.oom_dump_max_total='-1' -> warning, off
rdump.oom_dump_max_total='1,5G' -> warning, off
rdump.oom_dump_max_total='1.5X' -> warning, off
rdump.oom_dump_max_total='16777216T' -> warning, off
rdump.oom_dump_max_total='99999999999999999999' -> warning, off
rdump.oom_dump_max_total='G' -> warning, off
rdump.oom_dump_max='0' -> unlimited
rdump.oom_dump_max='5' -> 5
rdump.oom_dump_max='2147483647' -> 2147483647
rdump.oom_dump_max='2147483648' -> warning, 1
rdump.oom_dump_max='-1' -> warning, 1
rdump.oom_dump_max='' -> warning, 1
rdump.oom_dump_max='1.5' -> warning, 1
rdump.oom_dump_max='ten' -> warning, 1
rdump.oom_dump_min_interval='30' -> 30
rdump.oom_dump_min_interval='-5' -> warning, off
rdump.oom_dump_min_interval='abc' -> warning, off
rdump.oom_dump_min_interval='99999999999' -> warning, off
rdump.oom_dump_full='on' -> yes
rdump.oom_dump_full='TRUE' -> yes
rdump.oom_dump_full='off' -> no
rdump.oom_dump_full='maybe' -> warning, no
rdump.oom_dump_marker='yes' -> yes
rdump.oom_dump_marker='2' -> warning, no
rdump.oom_dump='/var/tmp/oom-%p.rdump' -> /var/tmp/oom-%p.rdump
rdump.oom_dump='' -> off
rdump.oom_dump='relative/oom.rdump' -> warning, off
rdump.oom_dump='/var/tmp/o-%%%%-%' -> /var/tmp/o-%%%%-%
rdump.resident_only='0' -> whole mappings
rdump.resident_only='on' -> resident pages
rdump.resident_only='sometimes' -> warning, resident pages
rdump.include_dontdump='1' -> captured
rdump.include_dontdump='-1' -> warning, listed only
rdump.safe_read='1' -> /proc/self/mem
rdump.safe_read='off' -> write(2) from memory
rdump.safe_read='auto' -> warning, the build's default
rdump.flush_behind='auto' -> auto: flushed behind the writer if the memory cgroup is limited
rdump.flush_behind=' AUTO ' -> auto: flushed behind the writer if the memory cgroup is limited
rdump.flush_behind='on' -> flushed behind the writer
rdump.flush_behind='0' -> left to the kernel
rdump.flush_behind='automatic' -> warning, auto: flushed behind the writer if the memory cgroup is limited
rdump.signal='' -> off
rdump.signal='SIGUSR2' -> 12 (User defined signal 2)
rdump.signal='usr1' -> 10 (User defined signal 1)
rdump.signal=' 12 ' -> 12 (User defined signal 2)
rdump.signal='SIGRTMIN+2' -> 36 (Real-time signal 2)
rdump.signal='SIGHUP' -> 1 (Hangup)
rdump.signal='SIGKILL' -> warning, off
rdump.signal='STOP' -> warning, off
rdump.signal='SIGSEGV' -> warning, off
rdump.signal='SIGTERM' -> warning, off
rdump.signal='9' -> warning, off
rdump.signal='SIGFOO' -> warning, off
rdump.signal='999' -> warning, off
rdump.signal='RTMIN+99' -> warning, off
rdump.signal='-12' -> warning, off
rdump.oom_dump_background='1' -> yes
rdump.oom_dump_background='later' -> warning, no
rdump.signal_dump='/var/tmp/sig-%p.rdump' -> /var/tmp/sig-%p.rdump
rdump.signal_dump='' -> none
rdump.signal_dump='relative/sig.rdump' -> warning, none
rdump.signal_dump='/var/tmp/s-%%%%-%' -> /var/tmp/s-%%%%-%
rdump.signal_dump_full='yes' -> yes
rdump.signal_dump_full='maybe' -> warning, no
rdump.signal_dump_background='on' -> yes
rdump.signal_dump_background='2' -> warning, no
