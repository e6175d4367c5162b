--TEST--
rdump_dump(): a full filesystem fails with ENOSPC, returns false and leaves nothing behind
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
/* Needs a private mount namespace to mount a small tmpfs (root or
 * unprivileged user namespaces); nothing is mounted outside it. */
exec('unshare -m --map-root-user true 2>/dev/null || unshare -m true 2>/dev/null', $o, $rc);
if ($rc !== 0) die('skip cannot create a mount namespace here');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
/* A 1 MiB tmpfs over $dir, in a mount namespace of the child's own:
 * the dump (megabytes) cannot fit. After the dump the child lists what
 * the tmpfs holds. */
$code = 'var_dump(rdump_dump($argv[1] . "/x.rdump")); var_dump(array_values(array_diff(scandir($argv[1]), [".", ".."]))); echo "alive\n";';
$php = implode(' ', array_map('escapeshellarg', rdump_test_php()));
$script = 'mount -t tmpfs -o size=1m rdump-enospc "$1" && exec ' . $php . ' -r "$2" "$1"';
list($rc, $out, $err) = rdump_test_run(['unshare', '-m', 'sh', '-c', $script, 'sh', $dir, $code]);
if ($rc !== 0 && strpos($err, 'mount') !== false) {
    list($rc, $out, $err) = rdump_test_run(['unshare', '-m', '--map-root-user', 'sh', '-c', $script, 'sh', $dir, $code]);
}
echo "exit $rc\n", $out, $err;
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
exit 0

Warning: rdump_dump(): Cannot write dump to '%s/x.rdump': cannot write dump file: No space left on device in Command line code on line 1
bool(false)
array(0) {
}
alive
