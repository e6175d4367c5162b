--TEST--
rdump_dump(): more bad paths (longer than PATH_MAX, inside /proc, ".", "..", a trailing slash, thousands of bytes of template-like %p) warn naming the cause, return false and create nothing; a relative path lands next to the working directory
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
chdir($dir);
$cases = [
    'longer than PATH_MAX' => "$dir/" . str_repeat('x', 5000),
    'a name longer than NAME_MAX' => "$dir/" . str_repeat('y', 300) . '.rdump',
    'inside /proc' => '/proc/self/rdump-test.rdump',
    '"."' => '.',
    '".."' => '..',
    'a trailing slash' => "$dir/sub/",
    '%p repeated (not a template here)' => "$dir/" . str_repeat('%p', 100) . '.rdump',
];
foreach ($cases as $name => $path) {
    $r = @rdump_dump($path);
    $err = error_get_last()['message'] ?? '';
    echo "$name: ", var_export($r, true), " -- ", preg_replace(["~'[^']*'~", '/x{100,}/'], ["'PATH'", 'x...'], $err), "\n";
    error_clear_last();
}
/* A relative path: relative to the working directory. */
var_dump(rdump_dump('rel.rdump'));
var_dump(rdump_test_ls($dir));
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
longer than PATH_MAX: false -- rdump_dump(): Cannot write dump to 'PATH': File name too long
a name longer than NAME_MAX: false -- rdump_dump(): Cannot write dump to 'PATH': cannot inspect the path: File name too long
inside /proc: false -- rdump_dump(): Cannot write dump to 'PATH': cannot create temporary file: %r(No such file or directory|Permission denied|Operation not permitted)%r
".": false -- rdump_dump(): Cannot write dump to 'PATH': refusing to replace a directory
"..": false -- rdump_dump(): Cannot write dump to 'PATH': refusing to replace a directory
a trailing slash: false -- rdump_dump(): Cannot write dump to 'PATH': cannot create temporary file: No such file or directory
%p repeated (not a template here): true -- 
bool(true)
array(2) {
  [0]=>
  string(%d) "%p%p%p%s.rdump"
  [1]=>
  string(9) "rel.rdump"
}
