<?php
/* Feed every dump in a directory to reli's heap analyser (scripts/oracle.sh)
 * where it applies (NTS dumps of PHP 7.0 - 8.3), and check what it reports.
 *   php tests/oracle/check.php DIR
 * A dump must analyse without error and without a read that no region
 * serves. DUMP.expect (JSON, written by the test that made the dump) adds:
 *   "classes": {"Class": count}   objects per class, as reli counts them
 *   "stack": "f <- g:3 <- <main>:4"  the call stack (internal frames bare)
 *   "twin": "file.rdump"           a whole-mapping dump of the same state
 *                                  (the name the test gave it): heap
 *                                  usage, objects per class and memory by
 *                                  type must be the same for both
 * Prints a line per dump and ends with "N passed, N failed, N skipped";
 * exit 1 if any failed. Without the oracle every dump is skipped, except
 * under CI (CI=true), where that is a failure. */

$dir = $argv[1] ?? '';
if (!is_dir($dir)) {
    fwrite(STDERR, "usage: php check.php DIR\n");
    exit(2);
}
$oracle = dirname(__DIR__, 2) . '/scripts/oracle.sh';
$passed = $failed = $skipped = 0;

/* Version tag and whether a ZTS process made it, from the header. */
function header_of(string $file): ?array
{
    $f = fopen($file, 'rb');
    $h = fread($f, 8 + 4 + 4 + 16);
    if (strlen($h) < 16 || substr($h, 0, 8) !== "RDUMP\0\0\0") {
        fclose($f);
        return null;
    }
    $version = unpack('V', substr($h, 8, 4))[1];
    $len = unpack('V', substr($h, 12, 4))[1];
    fseek($f, 16);
    $tag = (string)fread($f, min($len, 64));
    $keys = [];
    if ($version >= 3) {
        fseek($f, 16 + $len + 8 * 4);
        $n = unpack('V', (string)fread($f, 4) . "\0\0\0\0")[1];
        for ($i = 0; $i < $n && $i < 16; $i++) {
            $kl = unpack('V', (string)fread($f, 4) . "\0\0\0\0")[1];
            $keys[] = $kl < 256 ? (string)fread($f, $kl) : '';
            fread($f, 8);
        }
    }
    fclose($f);
    return ['tag' => $tag, 'zts' => in_array('tsrm_ls_cache', $keys, true)];
}

function analyse(string $oracle, string $file): array
{
    $p = proc_open(['sh', $oracle, $file], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    $rc = proc_close($p);
    $report = json_decode($out, true, PHP_INT_MAX >> 33);
    if ($rc !== 0 || !is_array($report)) {
        preg_match('/(no memory region found[^\n]*|RuntimeException: [^\n]*|Error: [^\n]*|oracle.sh: [^\n]*)/', $out . $err, $m);
        return [null, $m[1] ?? "exit $rc"];
    }
    if (preg_match('/reads not in dump or on disk: (\d+) (\S*)/', $err, $m) && $m[1] !== '0') {
        return [null, "$m[1] reads no region serves: $m[2]"];
    }
    return [$report, ''];
}

function stack_of(array $report): string
{
    $frames = [];
    foreach ($report['context']['call_frames'] ?? [] as $k => $f) {
        if (is_int($k) || preg_match('/^\d+$/', (string)$k)) {
            $line = $f['lineno'] ?? -1;
            $frames[] = ($f['function_name'] ?? '?') . ($line >= 0 ? ":$line" : '');
        }
    }
    return implode(' <- ', $frames);
}

/* The figures a dump of resident pages must share with a whole-mapping
 * dump of the same state. */
function figures(array $report): array
{
    $s = $report['summary'][0];
    $classes = array_map(fn($c) => [$c['count'], $c['memory_usage']], $report['class_objects_summary']);
    $types = array_map(fn($t) => [$t['count'], $t['memory_usage']], $report['location_types_summary']);
    ksort($classes);
    ksort($types);
    return ['heap usage' => $s['zend_mm_heap_usage'], 'memory_get_usage' => $s['memory_get_usage'],
        'objects per class' => $classes, 'memory by type' => $types];
}

/* What the test expected that reli does not report; '' if nothing. */
function unmet(array $report, array $expect, string $dir, string $prefix, string $oracle): string
{
    foreach ($expect['classes'] ?? [] as $class => $count) {
        $got = $report['class_objects_summary'][$class]['count'] ?? 0;
        if ($got !== $count) {
            return "$class: $got objects, expected $count";
        }
    }
    if (isset($expect['stack']) && stack_of($report) !== $expect['stack']) {
        return 'stack ' . stack_of($report) . ", expected {$expect['stack']}";
    }
    if (isset($expect['twin'])) {
        list($twin, $why) = analyse($oracle, "$dir/$prefix{$expect['twin']}");
        if ($twin === null) {
            return "twin {$expect['twin']}: $why";
        }
        foreach (figures($twin) as $what => $want) {
            if (figures($report)[$what] !== $want) {
                return "$what differs from the whole-mapping dump: " . json_encode(figures($report)[$what])
                    . ' against ' . json_encode($want);
            }
        }
    }
    return '';
}

$files = glob("$dir/*.rdump");
sort($files);
foreach ($files as $file) {
    $name = basename($file);
    $h = header_of($file);
    if ($h === null) {
        echo "ORACLE SKIP $name: not an RDUMP file\n";
        $skipped++;
        continue;
    }
    if ($h['zts'] || !preg_match('/^v(7[0-4]|8[0-3])$/', $h['tag'])) {
        echo "ORACLE SKIP $name: {$h['tag']}" . ($h['zts'] ? ' ZTS' : '') . " (the oracle reads NTS dumps of PHP 7.0 - 8.3)\n";
        $skipped++;
        continue;
    }
    list($report, $why) = analyse($oracle, $file);
    if ($report === null && strpos($why, 'oracle.sh: ') === 0 && getenv('CI') !== 'true') {
        echo "ORACLE SKIP $name: $why\n";
        $skipped++;
        continue;
    }
    if ($report !== null && is_file("$file.expect")) {
        $expect = json_decode(file_get_contents("$file.expect"), true);
        $prefix = substr($name, 0, -strlen($expect['name'] ?? $name));
        $why = unmet($report, $expect, $dir, $prefix, $oracle);
    }
    if ($why !== '') {
        echo "ORACLE FAIL $name: $why\n";
        $failed++;
    } else {
        echo "ORACLE PASS $name: " . stack_of($report) . "\n";
        $passed++;
    }
}
echo "$passed passed, $failed failed, $skipped skipped\n";
exit($failed > 0 ? 1 : 0);
