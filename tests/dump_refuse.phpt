--TEST--
rdump_dump(): a symlink, dangling symlink, FIFO, socket, directory or device at the path is refused, never followed, opened or removed
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
file_put_contents("$dir/target", "precious");
symlink("$dir/target", "$dir/link");
symlink("$dir/nowhere", "$dir/dangling");
posix_mkfifo_or_shell("$dir/fifo");
mkdir("$dir/subdir");
$sock = stream_socket_server("unix://$dir/sock");

function posix_mkfifo_or_shell(string $p): void {
    if (function_exists('posix_mkfifo')) {
        posix_mkfifo($p, 0600);
    } else {
        exec('mkfifo ' . escapeshellarg($p));
    }
}
function state(string $dir): string {
    clearstatcache();
    $s = [];
    foreach (rdump_test_ls($dir) as $f) {
        $p = "$dir/$f";
        $s[] = $f . ':' . (is_link($p) ? 'link->' . readlink($p) : filetype($p));
    }
    return implode(' ', $s) . ' target=' . file_get_contents("$dir/target");
}

$before = state($dir);
$null_before = stat('/dev/null');
foreach (['link', 'dangling', 'fifo', 'subdir', 'sock'] as $name) {
    var_dump(rdump_dump("$dir/$name"));
}
var_dump(rdump_dump('/dev/null'));
var_dump(state($dir) === $before);
var_dump(file_exists("$dir/nowhere"));
clearstatcache();
$null_after = stat('/dev/null');
var_dump(filetype('/dev/null'), $null_after['rdev'] === $null_before['rdev'], $null_after['ino'] === $null_before['ino']);
fclose($sock);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECTF--
Warning: rdump_dump(): Cannot write dump to '%s/link': refusing to replace a symbolic link in %s on line %d
bool(false)

Warning: rdump_dump(): Cannot write dump to '%s/dangling': refusing to replace a symbolic link in %s on line %d
bool(false)

Warning: rdump_dump(): Cannot write dump to '%s/fifo': refusing to replace a FIFO in %s on line %d
bool(false)

Warning: rdump_dump(): Cannot write dump to '%s/subdir': refusing to replace a directory in %s on line %d
bool(false)

Warning: rdump_dump(): Cannot write dump to '%s/sock': refusing to replace a socket in %s on line %d
bool(false)

Warning: rdump_dump(): Cannot write dump to '/dev/null': refusing to replace a device in %s on line %d
bool(false)
bool(true)
bool(false)
string(4) "char"
bool(true)
bool(true)
