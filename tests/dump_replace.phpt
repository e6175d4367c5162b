--TEST--
rdump_dump(): an existing regular file is replaced by a new inode; a reader of the old one keeps its bytes
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$f = "$dir/r.rdump";
file_put_contents($f, "old contents");
chmod($f, 0644);
$old_inode = fileinode($f);
$reader = fopen($f, 'rb');
$hardlink = "$dir/hardlink";
link($f, $hardlink);

var_dump(rdump_dump($f));
clearstatcache();
var_dump(fileinode($f) !== $old_inode);
var_dump(fileperms($f) & 0777);
var_dump(stream_get_contents($reader));
var_dump(file_get_contents($hardlink));
var_dump(file_get_contents($f, false, null, 0, 5));
var_dump(rdump_test_ls($dir));
fclose($reader);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
int(384)
string(12) "old contents"
string(12) "old contents"
string(5) "RDUMP"
array(2) {
  [0]=>
  string(8) "hardlink"
  [1]=>
  string(7) "r.rdump"
}
