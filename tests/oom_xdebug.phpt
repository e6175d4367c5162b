--TEST--
OOM dump next to another zend_error_cb hook (Xdebug in develop mode), in both load orders: both handlers run and the dump is written
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_xdebug();
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$so = rdump_test_so();
$xdebug = rdump_test_xdebug();
$orders = [
    'rdump first' => ['-d', "extension=$so", '-d', "zend_extension=$xdebug"],
    'xdebug first' => ['-d', "zend_extension=$xdebug", '-d', "extension=$so"],
];
foreach ($orders as $name => $load) {
    $f = "$dir/" . str_replace(' ', '-', $name) . '.rdump';
    $cmd = array_merge(rdump_test_php_n(), $load, ['-d', 'xdebug.mode=develop', '-d', 'memory_limit=16M',
        '-d', 'display_errors=1', '-d', 'html_errors=0', '-d', "rdump.oom_dump=$f",
        '-r', RDUMP_TEST_EAT . ' echo phpversion("xdebug") ? "xdebug loaded\n" : "no xdebug\n"; rdump_test_eat();']);
    list($rc, $out, $err) = rdump_test_run($cmd, rdump_test_env());
    echo "== $name\n";
    echo strtok($out, "\n"), "\n";
    /* Xdebug's develop mode adds its call stack to the fatal error. */
    var_dump(strpos($out, 'Allowed memory size of') !== false);
    var_dump(strpos($out, 'Call Stack') !== false);
    var_dump(strpos($out, "rdump: memory_limit dump written to '$f'") !== false);
    var_dump(rdump_test_inspect($f)[0]);
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
== rdump first
xdebug loaded
bool(true)
bool(true)
bool(true)
int(0)
== xdebug first
xdebug loaded
bool(true)
bool(true)
bool(true)
int(0)
