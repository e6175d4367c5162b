--TEST--
rdump_dump($path, false, true) where no process can be forked (RLIMIT_NPROC 0): a notice says so and the dump is written synchronously, never lost
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_root('root to run a child as another user');
rdump_skip_unless_command('setpriv', 'setpriv and prlimit (util-linux)');
rdump_skip_unless_command('prlimit', 'setpriv and prlimit (util-linux)');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
chmod($dir, 0777);
/* As nobody (root is exempt from RLIMIT_NPROC) with no process to spare;
 * its rdump.so a copy it can read wherever the checkout is. */
copy(rdump_test_so(), "$dir/rdump.so");
chmod("$dir/rdump.so", 0644);
$cmd = array_merge(['prlimit', '--nproc=0', '--', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
    rdump_test_php("$dir/rdump.so"), ['-d', 'display_errors=1', '-d', 'error_reporting=-1', '-r',
    '$t = "fork-fallback-" . "marker"; var_dump(rdump_dump($argv[1], false, true)); var_dump(is_file($argv[1]));',
    "$dir/nf.rdump"]);
list($rc, $out, $err) = rdump_test_run($cmd);
echo "exit $rc\n", str_replace($dir, 'DIR', $out), $err;
list($rc, $json) = rdump_test_inspect("$dir/nf.rdump", ['--json', '--find=fork-fallback-marker']);
$d = json_decode($json, true);
echo "inspector: exit $rc, marker found: ", count($d['finds']['fork-fallback-marker']) > 0 ? 'yes' : 'no', "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
exit 0

Notice: rdump_dump(): Cannot fork a snapshot for 'DIR/nf.rdump' (Resource temporarily unavailable): dumped synchronously instead in Command line code on line 1
bool(true)
bool(true)
inspector: exit 0, marker found: yes
