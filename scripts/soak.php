<?php
/* Soak driver for scripts/soak.sh: N dumps in this one process, every 10th
 * a background snapshot, each checked and removed as it lands. After a
 * warm-up of a quarter of the dumps (the allocator and the stat cache settle
 * in the first few hundred) the open descriptors, RSS, PHP's memory in use
 * and child processes are recorded; at the end they must not have grown:
 * descriptors and children not at all, RSS by at most 1 MiB (page-granular
 * noise; 1,500 dumps leaking even 700 bytes each would exceed it), PHP's
 * memory by at most 4 KiB (the loop's own longer numbers). Every 100th
 * dump is also read back by the inspector.
 *   php -d extension=rdump.so scripts/soak.php N DIR
 * Prints the figures; exits 0 when nothing grew and every dump was whole. */

$n = (int)($argv[1] ?? 2000);
$dir = $argv[2] ?? '';
if ($n < 200 || $dir === '') {
    fwrite(STDERR, "usage: soak.php N(>=200) DIR\n");
    exit(2);
}
if (!is_dir($dir) && !mkdir($dir, 0700, true)) {
    fwrite(STDERR, "cannot create $dir\n");
    exit(2);
}
$inspector = __DIR__ . '/../tools/rdump-inspect.php';
$self = getmypid();

/* A small working set the dumps carry, so each dump has a real heap. */
$keep = [];
for ($i = 0; $i < 2000; $i++) {
    $keep[] = str_repeat(chr(65 + $i % 26), 512);
}

function open_fds(): int
{
    return count(scandir('/proc/self/fd')) - 2;
}

function rss_kib(): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', file_get_contents('/proc/self/status'), $m);
    return (int)$m[1];
}

/* Processes whose parent is this one (zombies included), and processes
 * other than this one running this very command line (a snapshot child
 * still alive: it is reparented away from us, but keeps our argv). */
function children(int $self): array
{
    $mine = file_get_contents('/proc/self/cmdline');
    $direct = 0;
    $twins = 0;
    foreach (glob('/proc/[0-9]*') as $p) {
        $pid = (int)basename($p);
        if ($pid === $self) {
            continue;
        }
        $stat = @file_get_contents("$p/stat");
        if ($stat === false) {
            continue;
        }
        $f = explode(' ', substr($stat, strrpos($stat, ')') + 2));
        if ((int)$f[1] === $self) {
            $direct++;
        }
        if (@file_get_contents("$p/cmdline") === $mine) {
            $twins++;
        }
    }
    return [$direct, $twins];
}

$failures = [];
$base = null;
$warm = intdiv($n, 4);
$start = microtime(true);
$bg_count = 0;
$checked = 0;
for ($i = 1; $i <= $n; $i++) {
    $path = "$dir/soak-$i.rdump";
    $background = $i % 10 === 0;
    $ok = rdump_dump($path, false, $background);
    if ($ok !== true) {
        $failures[] = "dump $i returned " . var_export($ok, true);
        break;
    }
    if ($background) {
        $bg_count++;
        /* The file appears only once the snapshot child has written it. */
        for ($w = 0; $w < 1000 && !is_file($path); $w++) {
            usleep(2000);
        }
    }
    clearstatcache();
    $head = @file_get_contents($path, false, null, 0, 8);
    if ($head === false || strlen($head) < 8 || substr($head, 0, 5) !== 'RDUMP') {
        $failures[] = "dump $i" . ($background ? ' (background)' : '') . ": no complete file at $path";
        break;
    }
    if ($i % 100 === 0) {
        $cmd = escapeshellarg(PHP_BINARY) . ' -n ' . escapeshellarg($inspector) . ' --summary ' . escapeshellarg($path) . ' 2>&1';
        exec($cmd, $out, $rc);
        if ($rc !== 0) {
            $failures[] = "dump $i rejected by the inspector: " . implode(' ', $out);
            break;
        }
        $out = [];
        $checked++;
    }
    unlink($path);
    if ($i === $warm) {
        gc_collect_cycles();
        $base = ['fds' => open_fds(), 'rss' => rss_kib(), 'children' => children($self), 'usage' => memory_get_usage()];
    }
}
$elapsed = microtime(true) - $start;
gc_collect_cycles();
/* Give a last snapshot child a moment to be gone. */
for ($w = 0; $w < 50 && children($self) !== [0, 0]; $w++) {
    usleep(20000);
}
$end = ['fds' => open_fds(), 'rss' => rss_kib(), 'children' => children($self), 'usage' => memory_get_usage()];
$left = glob("$dir/*");

if ($base !== null) {
    printf("%d dumps (%d in the background) in %.1f s, %d read back by the inspector\n", $i - 1, $bg_count, $elapsed, $checked);
    printf("open descriptors: %d after %d dumps, %d at the end\n", $base['fds'], $warm, $end['fds']);
    printf("RSS: %d KiB after %d dumps, %d KiB at the end (%+d KiB)\n", $base['rss'], $warm, $end['rss'], $end['rss'] - $base['rss']);
    printf("PHP memory in use: %d bytes after %d dumps, %d at the end (%+d)\n", $base['usage'], $warm, $end['usage'], $end['usage'] - $base['usage']);
    printf("child processes (direct, snapshot children alive): %d/%d after %d dumps, %d/%d at the end\n",
        $base['children'][0], $base['children'][1], $warm, $end['children'][0], $end['children'][1]);
    if ($end['fds'] > $base['fds']) {
        $failures[] = 'open descriptors grew';
    }
    if ($end['rss'] - $base['rss'] > 1024) {
        $failures[] = 'RSS grew by more than 1 MiB';
    }
    if ($end['usage'] - $base['usage'] > 4096) {
        $failures[] = 'PHP memory in use grew by more than 4 KiB';
    }
    if ($end['children'] !== [0, 0]) {
        $failures[] = 'child processes left behind';
    }
}
if ($left !== []) {
    $failures[] = 'files left in the directory: ' . implode(' ', array_map('basename', $left));
}
foreach ($failures as $f) {
    echo "FAIL: $f\n";
}
echo $failures === [] ? "ok\n" : "not ok\n";
exit($failures === [] ? 0 : 1);
