<?php
/*
 * rdump benchmark: every workload in one go, one table.
 *
 *   php bench/bench.php [--runs=5] [--dir=/var/tmp] [--only=name,...]
 *
 * (--only takes workload names as in the table, and "cgroup" for the
 * memory-limited cgroup's part.)
 *
 * Each cell runs in a fresh PHP process (child mode below) that builds the
 * workload, measures, dumps, measures again and prints one JSON line; the
 * driver takes the median of --runs runs per figure. Modes per workload:
 *   resident     the defaults: resident pages, write(2) from memory, and
 *                flush-behind "auto" (off unless the memory cgroup is limited)
 *   +safe_read   the same through /proc/self/mem (rdump.safe_read=1)
 *   +flush       flush-behind forced on (rdump.flush_behind=1)
 *   -caps        as resident, without CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE
 *                (through setpriv when the benchmark runs as root), as an FPM
 *                worker runs: shared memory is then found by mincore, not
 *                from its shmem file
 *   +background  rdump_dump($path, false, true): the caller's pause is the
 *                fork; the limit and size are of the file the snapshot
 *                child writes (waited for before the limit is measured)
 *   whole        whole mappings (rdump.resident_only=0), the baseline
 * Figures:
 *   dump      bytes written
 *   resident  bytes resident (pagemap: present or swapped) in the mappings
 *             the dump captures, measured just before the dump
 *   untouched bytes the dump holds of pages never touched: resident-only
 *             capture takes the Zend structures reli reads whole (ZendMM
 *             page runs, the VM stack, ...) and writes their pages that
 *             were allocated but never touched as zeros. Measured apart
 *             from rdump's code: right after the dump (nothing freed in
 *             between), the pages of the dump's regions (as
 *             tools/rdump-inspect.php lists them) that pagemap reports
 *             neither present nor swapped. "-" for whole, which takes
 *             whole mappings anyway
 *   dump/(res+unt)  dump / (resident + untouched): how far the dump is
 *             above the memory it has to hold (for whole, dump / resident)
 *   pause     the caller's time inside rdump_dump(), ms (each child dumps
 *             twice, alternating with the limit measurement; means)
 *   rss+      peak RSS during the dump minus RSS before it (VmHWM after
 *             resetting it through /proc/self/clear_refs), the largest of
 *             the process's dumps, its first, untimed one included
 *   limit     time to write(2) the same number of bytes from memory to a
 *             new file in the same directory, ms; ratio = pause / limit
 *   limit+fa  the same with the file's blocks reserved first by one
 *             fallocate(2), as rdump's writer does (bench/write_limit.c,
 *             built with cc; "-" without a compiler); ratio+fa likewise.
 *             On ext4 the reservation makes the write itself a third
 *             cheaper, so a dump can beat the plain limit: this one says
 *             how close it comes to the best a writer can do
 * Every timed write, dump or limit, follows an untimed write of the same
 * bytes from the same memory to a file deleted at once (warm_page_cache()
 * and warm_with_dump() say why).
 * Then, where it runs as root with a cgroup v1 memory hierarchy, a 200 MiB
 * heap dumped from inside a memory cgroup whose limit leaves 128 MiB of
 * room above the process (set once the heap is built), with flush-behind
 * "auto" (which sees the limit and engages) and off:
 *   pause     as above
 *   held      the cgroup's peak charge during the dump minus its charge
 *             before: the page cache the dump held (the heap is charged
 *             already)
 */

if (($argv[1] ?? '') === '--child') {
    exit(child(json_decode($argv[2], true)));
}

$opts = getopt('', ['runs:', 'dir:', 'only:']);
$runs = max(1, (int)($opts['runs'] ?? 5));
$dir = rtrim($opts['dir'] ?? (getenv('TMPDIR') ?: '/var/tmp'), '/') . '/rdump-bench-' . getmypid();
$so = realpath(__DIR__ . '/../modules/rdump.so');
if (!$so) {
    fwrite(STDERR, "build modules/rdump.so first (scripts/build.sh)\n");
    exit(2);
}
$workloads = [
    'heap 40M'            => ['heap' => 40, 'opcache' => 0],
    'heap 40M + opcache'  => ['heap' => 40, 'opcache' => 128],
    'heap 200M'           => ['heap' => 200, 'opcache' => 0],
    'heap 200M + opcache' => ['heap' => 200, 'opcache' => 128],
    'fpm-like 8M + 256M SHM' => ['heap' => 8, 'opcache' => 256],
    'heap 1G'             => ['heap' => 1024, 'opcache' => 0],
];
if (isset($opts['only'])) {
    $workloads = array_intersect_key($workloads, array_flip(explode(',', $opts['only'])));
}
@mkdir($dir, 0700, true);
/* A private copy: rebuilding modules/rdump.so while the benchmark runs
 * must not change the code under the children's feet. */
copy($so, "$dir/rdump.so");
$so = "$dir/rdump.so";
$write_limit = "$dir/write_limit";
/* Both parts use them; gone however the run ends. */
register_shutdown_function(function () use ($so, $write_limit, $dir) {
    @unlink($so);
    @unlink($write_limit);
    @rmdir($dir);
});
exec('cc -O2 -o ' . escapeshellarg($write_limit) . ' ' . escapeshellarg(__DIR__ . '/write_limit.c') . ' 2>&1', $out, $rc);
if ($rc !== 0) {
    fwrite(STDERR, "no limit+fa column: cannot build bench/write_limit.c: " . implode("\n", $out) . "\n");
    $write_limit = null;
}

$modes = [
    'resident'   => [],
    '+safe_read' => ['rdump.safe_read' => 1],
    '+flush'     => ['rdump.flush_behind' => 1],
    '-caps'      => ['unprivileged' => 1],
    '+background' => ['background' => 1],
    'whole'      => ['rdump.resident_only' => 0],
];
$defaults = ['rdump.resident_only' => 1, 'rdump.safe_read' => 0, 'rdump.flush_behind' => 'auto', 'background' => 0,
    'unprivileged' => 0];
$rows = [];
foreach ($workloads as $name => $w) {
    foreach ($modes as $mode => $ini) {
        $samples = [];
        for ($i = 0; $i < $runs; $i++) {
            $samples[] = run_child($so, $w + ['ini' => $ini + $defaults, 'dir' => $dir, 'write_limit' => $write_limit]);
        }
        $row = ['workload' => $name, 'mode' => $mode];
        foreach (array_keys($samples[0]) as $k) {
            $v = array_column($samples, $k);
            $row[$k] = in_array(null, $v, true) ? null : median($v); /* untouched: null for whole */
        }
        $row['ratio'] = median(array_map(function ($s) { return $s['pause_ms'] / $s['limit_ms']; }, $samples));
        $row['ratio_fa'] = $write_limit === null ? null
            : median(array_map(function ($s) { return $s['pause_ms'] / $s['limit_fa_ms']; }, $samples));
        $rows[] = $row;
        fwrite(STDERR, sprintf("%-24s %-8s done\n", $name, $row['mode']));
    }
}
printf("PHP %s, %d runs per cell (medians), dumps in %s\n", PHP_VERSION, $runs, dirname($dir));
if ($rows) {
    print_table($rows);
}
$cg_root = '/sys/fs/cgroup/memory';
if (isset($opts['only']) && !in_array('cgroup', explode(',', $opts['only']), true)) {
    exit(0);
}
if (trim((string)shell_exec('id -u')) !== '0' || !is_writable($cg_root)) {
    echo "\nin a memory-limited cgroup: not measured (needs root and a cgroup v1 memory hierarchy)\n";
    exit(0);
}
$cg = "$cg_root/rdump-bench-" . getmypid();
mkdir($cg);
register_shutdown_function(function () use ($cg) { @rmdir($cg); });
$limited = [];
foreach (['auto' => 'auto', 'off' => '0'] as $mode => $setting) {
    $samples = [];
    for ($i = 0; $i < $runs; $i++) {
        $samples[] = run_child($so, ['heap' => 200, 'opcache' => 0, 'cgroup' => $cg, 'room' => 128, 'dir' => $dir,
            'write_limit' => null, 'ini' => ['rdump.flush_behind' => $setting] + $defaults]);
    }
    $limited[$mode] = ['pause_ms' => median(array_column($samples, 'pause_ms')),
        'held' => median(array_column($samples, 'held')), 'max_held' => max(array_column($samples, 'held')),
        'min_pause' => min(array_column($samples, 'pause_ms')), 'max_pause' => max(array_column($samples, 'pause_ms'))];
    fwrite(STDERR, sprintf("%-24s %-8s done\n", 'cgroup 200M', $mode));
}
echo "\nheap 200M in a memory cgroup with 128 MiB of room (medians; min-max of pause; largest held):\n";
foreach ($limited as $mode => $r) {
    printf("  flush_behind=%-5s pause %6.1f ms (%.1f-%.1f)   page cache held %s (largest %s)\n", $mode, $r['pause_ms'],
        $r['min_pause'], $r['max_pause'], mib($r['held']), mib($r['max_held']));
}
printf("  auto / off pause: x%.2f\n", $limited['auto']['pause_ms'] / $limited['off']['pause_ms']);

function print_table(array $rows): void
{
    echo "\n";
    $fmt = "| %-24s | %-11s | %10s | %10s | %9s | %14s | %9s | %9s | %6s | %11s | %8s | %12s |\n";
    printf($fmt, 'workload', 'mode', 'dump', 'resident', 'untouched', 'dump/(res+unt)', 'pause ms', 'limit ms', 'ratio',
        'limit+fa ms', 'ratio+fa', 'rss+ during');
    printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", str_repeat("-", 26), str_repeat("-", 13), str_repeat('-', 12),
        str_repeat('-', 12), str_repeat('-', 11), str_repeat('-', 16), str_repeat('-', 11), str_repeat('-', 11),
        str_repeat('-', 8), str_repeat('-', 13), str_repeat('-', 10), str_repeat('-', 14));
    $by = [];
    foreach ($rows as $r) {
        $by[$r['workload']][$r['mode']] = $r;
    }
    foreach ($rows as $r) {
        $untouched = $r['untouched_bytes'];
        printf($fmt, $r['workload'], $r['mode'], mib($r['dump_bytes']), mib($r['resident_bytes']),
            $untouched === null ? '-' : sprintf('%.2f MiB', $untouched / 1048576),
            sprintf('%.3f', $r['dump_bytes'] / max(1, $r['resident_bytes'] + (int)$untouched)),
            sprintf('%.1f', $r['pause_ms']), sprintf('%.1f', $r['limit_ms']), sprintf('%.2f', $r['ratio']),
            $r['ratio_fa'] === null ? '-' : sprintf('%.1f', $r['limit_fa_ms']),
            $r['ratio_fa'] === null ? '-' : sprintf('%.2f', $r['ratio_fa']), kib($r['rss_growth']));
    }
    echo "\nper workload: resident vs whole-mapping dump size; pause of the other copy path, of forced\n"
        . "flush-behind, without capabilities and of a background snapshot relative to the default resident pause:\n";
    foreach ($by as $name => $m) {
        printf("  %-24s size %5.1f%% (%s of %s)   safe_read x%.2f   flush-behind x%.2f   -caps x%.2f   background %.1f%%\n",
            $name, 100 * $m['resident']['dump_bytes'] / $m['whole']['dump_bytes'],
            mib($m['resident']['dump_bytes']), mib($m['whole']['dump_bytes']),
            $m['+safe_read']['pause_ms'] / $m['resident']['pause_ms'], $m['+flush']['pause_ms'] / $m['resident']['pause_ms'],
            $m['-caps']['pause_ms'] / $m['resident']['pause_ms'],
            100 * $m['+background']['pause_ms'] / $m['resident']['pause_ms']);
    }
}

function mib(float $b): string { return sprintf('%.1f MiB', $b / 1048576); }
function kib(float $b): string { return sprintf('%.0f KiB', $b / 1024); }

function median(array $v): float
{
    sort($v);
    $n = count($v);
    return $n % 2 ? $v[intdiv($n, 2)] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
}

function run_child(string $so, array $w): array
{
    $cmd = [PHP_BINARY, '-n', '-d', "extension=$so", '-d', 'memory_limit=-1'];
    foreach ($w['ini'] as $k => $v) {
        if (strpos($k, 'rdump.') === 0) {
            array_push($cmd, '-d', "$k=$v");
        }
    }
    if ($w['opcache']) {
        $cmd = array_merge($cmd, ['-d', 'zend_extension=opcache.so', '-d', 'opcache.enable_cli=1',
            '-d', 'opcache.memory_consumption=' . $w['opcache']]);
    }
    $cmd = array_merge($cmd, [__FILE__, '--child', json_encode($w)]);
    if ($w['ini']['unprivileged'] && trim((string)shell_exec('id -u')) === '0') {
        $cmd = array_merge(['setpriv', '--inh-caps=-all', '--bounding-set=-all', '--'], $cmd);
    }
    $out = shell_exec(implode(' ', array_map('escapeshellarg', $cmd)) . ' 2>&1');
    $r = json_decode((string)$out, true);
    if (!is_array($r)) {
        fwrite(STDERR, "child failed: $out\n");
        exit(1);
    }
    return $r;
}

/* ---- child: one measurement ---- */

function status_kib(string $field): int
{
    preg_match('/^' . $field . ':\s+(\d+) kB/m', file_get_contents('/proc/self/status'), $m);
    return (int)$m[1] * 1024;
}

/* Bytes resident (present or swapped) in the mappings a dump captures:
 * writable, anonymous or shared memory, readable, not the kernel's; and in
 * $mapped the size of those mappings. */
function resident_in_captured(?int &$mapped = null): int
{
    $mapped = 0;
    $pm = fopen('/proc/self/pagemap', 'rb');
    $total = 0;
    foreach (file('/proc/self/maps') as $line) {
        preg_match('/^([0-9a-f]+)-([0-9a-f]+) (....) \S+ \S+ \d+\s*(.*)$/', rtrim($line, "\n"), $m);
        list(, $b, $e, $perm, $name) = $m;
        if ($perm[0] !== 'r' || in_array($name, ['[vvar]', '[vvar_vclock]', '[vdso]', '[vsyscall]'], true)) {
            continue;
        }
        $anon = $name === '' || $name[0] === '[';
        $shm = $perm[3] === 's' && ($name === '' || strpos($name, '/dev/zero') === 0 || strpos($name, '/memfd:') === 0);
        if ($perm[1] !== 'w' && !$anon && !$shm) {
            continue;
        }
        if (strlen($e) > 15) {
            continue; /* [vsyscall], above 2^63: never captured */
        }
        $mapped += hexdec($e) - hexdec($b);
        $total += in_memory($pm, hexdec($b), hexdec($e) - hexdec($b));
    }
    fclose($pm);
    return $total;
}

/* Bytes of the page-aligned range [$addr, $addr + $size) that pagemap
 * ($pm, open) reports present (bit 63) or swapped (bit 62). */
function in_memory($pm, int $addr, int $size): int
{
    $first = $addr >> 12;
    $pages = $size >> 12;
    $total = 0;
    for ($done = 0; $done < $pages; $done += 4096) {
        $n = min(4096, $pages - $done);
        fseek($pm, ($first + $done) * 8);
        foreach (unpack('P*', fread($pm, $n * 8)) as $entry) {
            if ($entry & (3 << 62)) {
                $total += 4096;
            }
        }
    }
    return $total;
}

/* Bytes of the dump $file's regions that are neither present nor swapped
 * now: pages allocated but never touched, which the dump wrote as zeros
 * (and did not touch either, or they would be present). Valid only while
 * nothing has been freed since the dump. The regions come from the
 * project's inspector, run in its own process so that decoding them does
 * not touch this one's memory beyond a small JSON string. */
function untouched_in_dump(string $file): int
{
    $cmd = [PHP_BINARY, '-n', __DIR__ . '/../tools/rdump-inspect.php', '--json', $file];
    $d = json_decode((string)shell_exec(implode(' ', array_map('escapeshellarg', $cmd))), true);
    if (!is_array($d)) {
        fwrite(STDERR, "the inspector rejected $file\n");
        exit(1);
    }
    $pm = fopen('/proc/self/pagemap', 'rb');
    $untouched = 0;
    foreach ($d['regions'] as $r) {
        $untouched += $r['size'] - in_memory($pm, $r['address'], $r['size']);
    }
    fclose($pm);
    return $untouched;
}

/* The write limit: $bytes bytes, from as many distinct resident pages of
 * memory, written to a new file with write(2), in ms. The buffer is local
 * so it is surely freed on return (with opcache, the optimizer drops a
 * "$buffer = null" it considers dead, and the buffer would be dumped). */
function write_limit_ms(string $file, int $bytes): float
{
    $buffer = str_repeat('w', $bytes);
    warm_page_cache("$file.warm", $buffer);
    $t = hrtime(true);
    $fd = fopen($file, 'wb');
    fwrite($fd, $buffer);
    fclose($fd);
    $ms = (hrtime(true) - $t) / 1e6;
    unlink($file);
    return $ms;
}

/* Untimed, before each timed write (dump or limit): write $buffer (or as
 * many bytes) to $file and delete it. Where the host takes back memory a
 * guest left free (a VM balloon's free page reporting), filling it again
 * makes the host fault it in, at random; the page cache this write frees
 * is what the timed write gets next.
 * bench/write_limit.c does the same for its own write. */
function warm_page_cache(string $file, $buffer): void
{
    if (is_int($buffer)) {
        $buffer = str_repeat('v', $buffer);
    }
    file_put_contents($file, $buffer);
    unlink($file);
}

/* Untimed, before each timed dump: the same dump to a file deleted at
 * once. Like the limit's warm-up, it leaves freed page cache for the
 * timed write, and it has the kernel read the memory the timed dump
 * reads, as the limit's warm-up reads the limit's buffer: where a first
 * read by the kernel of a page costs more than later ones (a VM whose
 * host keeps separate page tables for the guest's kernel), timing a
 * dump of memory the kernel never read against a write of memory it
 * just read would compare the two first-read costs, not the writers. */
function warm_with_dump(string $file): void
{
    if (!rdump_dump($file)) {
        fwrite(STDERR, "the warm-up dump failed\n");
        exit(1);
    }
    unlink($file);
}

/* The same with the blocks reserved first (bench/write_limit.c). */
function write_limit_fa_ms(string $program, string $file, int $bytes): float
{
    $out = shell_exec(escapeshellarg($program) . ' ' . escapeshellarg($file) . ' ' . $bytes);
    if (!is_numeric(trim((string)$out))) {
        fwrite(STDERR, "write_limit failed\n");
        exit(1);
    }
    return (float)$out;
}

/* The heap: 4 KiB strings with distinct contents, $mib MiB. */
function build_heap(int $mib): array
{
    $heap = [];
    for ($i = 0; $i < $mib * 256; $i++) {
        $heap[] = str_repeat(pack('N', $i), 1000);
    }
    return $heap;
}

function child(array $w): int
{
    if (isset($w['cgroup'])) {
        return child_limited($w);
    }
    $heap = build_heap($w['heap']);
    $file = $w['dir'] . '/dump-' . getmypid() . '.rdump';
    $resident = resident_in_captured();
    /* The heap must be there, and stay until the end: with opcache, the
     * optimizer frees at once a value it sees no later use of. */
    if ($resident < $w['heap'] << 20) {
        fwrite(STDERR, sprintf("only %.1f MiB resident, less than the %d MiB heap\n", $resident / 1048576,
            $w['heap']));
        return 1;
    }

    /* Two rounds of dump then limit, alternating, so that a slow moment
     * of this shared machine does not land on one side only; the figures
     * are the means of the two rounds (rss+ the larger). */
    $pause = $limit = $limit_fa = $growth = 0;
    for ($round = 0; $round < 2; $round++) {
        /* rss+ counts the warm-up too: the process's first dump is the
         * one that faults in its scratch and stack. */
        file_put_contents('/proc/self/clear_refs', '5'); /* reset VmHWM */
        $rss = status_kib('VmRSS');
        warm_with_dump($w['dir'] . '/warm-' . getmypid() . '.rdump');
        $growth = max($growth, status_kib('VmHWM') - $rss);
        file_put_contents('/proc/self/clear_refs', '5');
        $rss = status_kib('VmRSS');
        $t = hrtime(true);
        if (!rdump_dump($file, false, (bool)$w['ini']['background'])) {
            return 1;
        }
        $pause += (hrtime(true) - $t) / 2e6;
        for ($i = 0; $i < 12000 && !is_file($file); $i++) {
            usleep(5000); /* a background dump: until the child publishes it */
        }
        clearstatcache();
        $growth = max($growth, status_kib('VmHWM') - $rss);
        $untouched = $w['ini']['rdump.resident_only'] ? untouched_in_dump($file) : null;
        $bytes = filesize($file);
        unlink($file);

        $limit += write_limit_ms($w['dir'] . '/limit-' . getmypid(), $bytes) / 2;
        if ($w['write_limit'] !== null) {
            $limit_fa += write_limit_fa_ms($w['write_limit'], $w['dir'] . '/limit-' . getmypid(), $bytes) / 2;
        }
    }

    echo json_encode(['dump_bytes' => $bytes, 'resident_bytes' => $resident, 'untouched_bytes' => $untouched,
        'pause_ms' => $pause, 'limit_ms' => $limit, 'limit_fa_ms' => $limit_fa, 'rss_growth' => $growth]), "\n";
    return count($heap) === $w['heap'] * 256 ? 0 : 1;
}

/* A dump from inside the memory cgroup $w['cgroup'], limited to leave
 * $w['room'] MiB above what the process holds once its heap is built. Two
 * dumps, means; held is the larger. */
function child_limited(array $w): int
{
    $cg = $w['cgroup'];
    file_put_contents("$cg/cgroup.procs", (string)getmypid());
    $heap = build_heap($w['heap']);
    $file = $w['dir'] . '/dump-' . getmypid() . '.rdump';
    $pause = $held = 0;
    for ($round = 0; $round < 2; $round++) {
        warm_page_cache($w['dir'] . '/warm-' . getmypid(), ($w['heap'] + 16) << 20);
        $before = (int)file_get_contents("$cg/memory.usage_in_bytes");
        file_put_contents("$cg/memory.limit_in_bytes", (string)($before + ($w['room'] << 20)));
        file_put_contents("$cg/memory.max_usage_in_bytes", '0');
        $t = hrtime(true);
        $ok = rdump_dump($file);
        $pause += (hrtime(true) - $t) / 2e6;
        $held = max($held, (int)file_get_contents("$cg/memory.max_usage_in_bytes") - $before);
        @unlink($file);
        file_put_contents("$cg/memory.limit_in_bytes", '-1');
        if (!$ok) {
            return 1;
        }
    }
    echo json_encode(['pause_ms' => $pause, 'held' => $held]), "\n";
    return count($heap) === $w['heap'] * 256 ? 0 : 1; /* in use until here: see child() */
}
