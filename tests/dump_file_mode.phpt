--TEST--
rdump_dump(): the dump is created mode 0600 whatever the umask, and no temporary file remains
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
foreach ([0, 022, 0277, 0777] as $mask) {
    umask($mask);
    $f = sprintf("$dir/mask%04o.rdump", $mask);
    $ok = rdump_dump($f);
    clearstatcache();
    printf("umask %04o: %s, mode %04o\n", $mask, var_export($ok, true), fileperms($f) & 07777);
}
umask(022);
var_dump(rdump_test_ls($dir));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
umask 0000: true, mode 0600
umask 0022: true, mode 0600
umask 0277: true, mode 0600
umask 0777: true, mode 0600
array(4) {
  [0]=>
  string(14) "mask0000.rdump"
  [1]=>
  string(14) "mask0022.rdump"
  [2]=>
  string(14) "mask0277.rdump"
  [3]=>
  string(14) "mask0777.rdump"
}
