--TEST--
The writer reserves the blocks of each large write first (fallocate, KEEP_SIZE) exactly where and as far as the bytes then go, with either copy path; where fallocate fails (a file system without it, ENOSPC) the dump tries once, goes on without, and is complete
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_unless_command('strace', 'strace to see the writer\'s system calls');
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$code = 'require $argv[2]; $s = rdump_test_page_markers(10240); var_dump(rdump_dump($argv[1]));';

/* The dump file's write, writev and fallocate calls, in order: the file
 * is the descriptor that writev (or fallocate) is called on. */
function calls(string $trace): array
{
    preg_match_all('/^(?:\d+ +)?(write|writev|fallocate)\((\d+), (.*) = (-?\d+)(?: (\w+))?/m', $trace, $m, PREG_SET_ORDER);
    $fd = null;
    foreach ($m as $c) {
        if ($c[1] !== 'write') {
            $fd = $c[2];
            break;
        }
    }
    return array_values(array_filter($m, function ($c) use ($fd) { return $c[2] === $fd; }));
}

$cases = [
    'writev'            => [['-d', 'rdump.safe_read=0'], []],
    'safe_read'         => [['-d', 'rdump.safe_read=1'], []],
    'EOPNOTSUPP'        => [['-d', 'rdump.safe_read=0'], ['-e', 'inject=fallocate:error=EOPNOTSUPP']],
    'ENOSPC'            => [['-d', 'rdump.safe_read=0'], ['-e', 'inject=fallocate:error=ENOSPC']],
];
foreach ($cases as $name => list($ini, $inject)) {
    $f = "$dir/f.rdump";
    $cmd = array_merge(['strace', '-f', '-qq', '-o', "$dir/trace", '-e', 'trace=write,writev,fallocate', '-e', 'signal=none'],
        $inject, rdump_test_php(), ['-d', 'memory_limit=-1'], $ini, ['-r', $code, $f, __DIR__ . '/rdump_test.inc']);
    list($rc, $out, $err) = rdump_test_run($cmd);
    $pos = 0;
    $tries = $reserved = 0;
    $open = null;      /* the reservation not yet written through: [from, to] */
    $wrong = [];
    foreach (calls(rdump_test_strace("$dir/trace")) as $c) {
        if ($c[1] !== 'fallocate') {
            $pos += max(0, (int)$c[4]);
            continue;
        }
        $tries++;
        if ($open !== null && $pos < $open[1]) {
            $wrong[] = "reserved up to $open[1] but wrote only up to $pos";
        }
        if (!preg_match('/^FALLOC_FL_KEEP_SIZE, (\d+), (\d+)\)/', $c[3], $a)) {
            $wrong[] = "not KEEP_SIZE: $c[3]";
            continue;
        }
        if ((int)$a[1] !== $pos) {
            $wrong[] = "reserved at $a[1] while the next byte goes to $pos";
        }
        if ((int)$a[2] < 65536) {
            $wrong[] = "reserved only $a[2] bytes";
        }
        $open = (int)$c[4] === 0 ? [(int)$a[1], (int)$a[1] + (int)$a[2]] : null;
        $reserved += (int)$c[4] === 0 ? (int)$a[2] : 0;
    }
    if ($open !== null && $pos < $open[1]) {
        $wrong[] = "reserved up to $open[1] but wrote only up to $pos";
    }
    clearstatcache();
    $size = filesize($f);
    $st = stat($f);
    printf("%s: %s markers: %s; fallocate calls: %s; reserved: %s; written as traced: %s; blocks past the end: %s\n%s",
        $name, trim($out), ($n = rdump_test_count_page_markers($f)) === 10240 ? 'all' : "$n of 10240",
        $tries === 1 ? 'one' : ($tries > 1 ? 'several' : 'none'),
        $reserved >= 0.9 * $size ? 'at least 90% of the file' : ($reserved === 0 ? 'nothing' : "only $reserved of $size bytes"),
        $pos === $size ? 'yes' : "no ($pos of $size)",
        $st['blocks'] * 512 - $size >= 65536 ? 'yes (' . ($st['blocks'] * 512 - $size) . ' bytes)' : 'no', $err);
    foreach ($wrong as $w) {
        echo "  $w\n";
    }
    unlink($f);
}
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
writev: bool(true) markers: all; fallocate calls: several; reserved: at least 90% of the file; written as traced: yes; blocks past the end: no
safe_read: bool(true) markers: all; fallocate calls: several; reserved: at least 90% of the file; written as traced: yes; blocks past the end: no
EOPNOTSUPP: bool(true) markers: all; fallocate calls: one; reserved: nothing; written as traced: yes; blocks past the end: no
ENOSPC: bool(true) markers: all; fallocate calls: one; reserved: nothing; written as traced: yes; blocks past the end: no
