--TEST--
rdump_dump(): system failures warn with the path and strerror (ENOENT, EACCES, EFBIG), return false and leave nothing behind
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();

echo "-- missing directory\n";
var_dump(rdump_dump("$dir/missing/x.rdump"));
var_dump(rdump_test_ls($dir));

echo "-- file size limit (SIGXFSZ must not kill the process)\n";
$code = 'var_dump(rdump_dump($argv[1])); echo "alive\n";';
$cmd = array_merge(['sh', '-c', 'ulimit -f 64 && exec "$@"', 'sh'], rdump_test_php(), ['-r', $code, "$dir/big.rdump"]);
list($rc, $out, $err) = rdump_test_run($cmd);
echo "exit $rc\n", $out, $err;
var_dump(rdump_test_ls($dir));

echo "-- permission denied (an unprivileged process and a directory it cannot write)\n";
if (rdump_test_is_root()) {
    /* The child runs as nobody: it needs to reach its own rdump.so. */
    chmod($dir, 0755);
    mkdir("$dir/ro", 0755);
    copy(rdump_test_so(), "$dir/rdump.so");
    chmod("$dir/rdump.so", 0644);
    $cmd = array_merge(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
        rdump_test_php("$dir/rdump.so"), ['-r', $code, "$dir/ro/x.rdump"]);
} else {
    mkdir("$dir/ro", 0555);
    $cmd = array_merge(rdump_test_php(), ['-r', $code, "$dir/ro/x.rdump"]);
}
list($rc, $out, $err) = rdump_test_run($cmd);
echo "exit $rc\n", $out, $err;
var_dump(rdump_test_ls("$dir/ro"));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
-- missing directory

Warning: rdump_dump(): Cannot write dump to '%s/missing/x.rdump': cannot create temporary file: No such file or directory in %s on line %d
bool(false)
array(0) {
}
-- file size limit (SIGXFSZ must not kill the process)
exit 0

Warning: rdump_dump(): Cannot write dump to '%s/big.rdump': cannot write dump file: File too large in Command line code on line 1
bool(false)
alive
array(0) {
}
-- permission denied (an unprivileged process and a directory it cannot write)
exit 0

Warning: rdump_dump(): Cannot write dump to '%s/ro/x.rdump': cannot create temporary file: Permission denied in Command line code on line 1
bool(false)
alive
array(0) {
}
