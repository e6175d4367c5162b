<?php
/*
 * rdump-inspect: validate an RDUMP file (reli's memory dump format, v1-v3)
 * and print it, like reli's inspector:memory:dump:inspect. Plain PHP 7.0+,
 * 64-bit; no extension needed. Region data is never loaded: it is skipped
 * with seeks (or streamed, for --find).
 *
 *   php rdump-inspect.php [--json] [--summary] [--find=STRING]... FILE
 *
 * Exit 0: valid. Exit 1: malformed, with one line "rdump-inspect: FILE:
 * REASON" on stderr. Exit 2: usage, or the file cannot be opened.
 *
 * Checked: magic and version; every field present (no truncation); map
 * addresses are bare lowercase hex, begin < end, entries sorted and not
 * overlapping; attribute bytes 0 or 1; regions non-empty, sorted, not
 * overlapping (touching is fine), each inside one readable mapping; the
 * counts match the contents, and nothing follows the last region.
 */

const RDUMP_MAGIC = "RDUMP\0\0\0";
const MAX_SHORT_STR = 64;       /* php_version, hex tokens, device, keys */
const MAX_NAME = 65536;         /* mapping names (paths) */
const MAX_FINDS = 1000;

final class Malformed extends Exception {}

final class Reader
{
    private $fh;
    public $size;

    public function __construct($fh, int $size)
    {
        $this->fh = $fh;
        $this->size = $size;
    }

    public function pos(): int
    {
        return ftell($this->fh);
    }

    public function bytes(int $n, string $what): string
    {
        if ($n < 0 || $n > $this->size - $this->pos()) {
            throw new Malformed("truncated $what");
        }
        $s = $n === 0 ? '' : fread($this->fh, $n);
        if (!is_string($s) || strlen($s) !== $n) {
            throw new Malformed("truncated $what");
        }
        return $s;
    }

    public function u32(string $what): int
    {
        return unpack('V', $this->bytes(4, $what))[1];
    }

    public function u64(string $what): int
    {
        $v = unpack('P', $this->bytes(8, $what))[1];
        if ($v < 0) {
            throw new Malformed("$what out of range (>= 2^63)");
        }
        return $v;
    }

    public function i64(string $what): int
    {
        return unpack('q', $this->bytes(8, $what))[1];
    }

    public function str(string $what, int $max): string
    {
        $n = $this->u32($what);
        if ($n > $max) {
            throw new Malformed("$what of $n bytes is longer than $max");
        }
        return $this->bytes($n, $what);
    }

    public function skip(int $n, string $what)
    {
        if ($n > $this->size - $this->pos()) {
            throw new Malformed("truncated $what");
        }
        fseek($this->fh, $n, SEEK_CUR);
    }
}

/* A bare lowercase hex token as a 16-digit string: such strings compare
 * like the unsigned 64-bit numbers they spell ([vsyscall] sits above
 * 2^63, past PHP's integers). */
function hex_token(string $s, string $what): string
{
    if ($s === '' || strlen($s) > 16 || strspn($s, '0123456789abcdef') !== strlen($s)) {
        throw new Malformed("$what '" . addcslashes($s, "\0..\37\177..\377") . "' is not bare lowercase hex");
    }
    return str_pad($s, 16, '0', STR_PAD_LEFT);
}

function hex16(int $v): string
{
    return sprintf('%016x', $v);
}

/* Parse and check the whole file. Returns the dump as an array. */
function parse(Reader $r): array
{
    $d = [];
    if ($r->bytes(min(8, $r->size), 'header (magic)') !== RDUMP_MAGIC) {
        throw new Malformed('bad magic');
    }
    $d['magic'] = 'RDUMP';
    $v = $r->u32('header (format version)');
    if ($v < 1 || $v > 3) {
        throw new Malformed("unsupported format version $v");
    }
    $d['format_version'] = $v;
    $d['php_version'] = $r->str('header (php version)', MAX_SHORT_STR);
    $d['pid'] = $r->u64('header (pid)');
    $d['eg_address'] = $r->u64('header (EG address)');
    $d['cg_address'] = $r->u64('header (CG address)');
    $d['rss_bytes'] = null;
    if ($v >= 2) {
        $rss = $r->i64('header (rss)');
        if ($rss < -1) {
            throw new Malformed("rss $rss is negative");
        }
        $d['rss_bytes'] = $rss === -1 ? null : $rss;
    }
    $d['module_globals'] = [];
    if ($v >= 3) {
        $n = $r->u32('header (module globals count)');
        for ($i = 0; $i < $n; $i++) {
            $key = $r->str("module global $i key", MAX_SHORT_STR);
            $d['module_globals'][$key] = $r->u64("module global $i address");
        }
    }
    $map_count = $r->u32('header (memory map count)');
    $region_count = $r->u32('header (region count)');

    $d['memory_map'] = [];
    $prev_end = '';
    for ($i = 0; $i < $map_count; $i++) {
        $what = "map entry $i";
        $m = ['begin' => $r->str($what, MAX_SHORT_STR), 'end' => $r->str($what, MAX_SHORT_STR),
            'file_offset' => $r->str($what, MAX_SHORT_STR)];
        $attrs = $r->bytes(4, $what);
        foreach (['read', 'write', 'exec', 'private'] as $k => $name) {
            $b = ord($attrs[$k]);
            if ($b > 1) {
                throw new Malformed("$what: attribute byte $name is $b, not 0 or 1");
            }
            $m[$name] = $b === 1;
        }
        $m['device'] = $r->str($what, MAX_SHORT_STR);
        $m['inode'] = $r->u64($what);
        $m['name'] = $r->str($what, MAX_NAME);
        $begin = hex_token($m['begin'], "$what begin");
        $end = hex_token($m['end'], "$what end");
        hex_token($m['file_offset'], "$what offset");
        if (strcmp($end, $begin) <= 0) {
            throw new Malformed("$what: end {$m['end']} is not above begin {$m['begin']}");
        }
        if (strcmp($begin, $prev_end) < 0) {
            throw new Malformed("$what {$m['begin']}-{$m['end']} is not sorted or overlaps the one before");
        }
        $prev_end = $end;
        $m['_begin'] = $begin;
        $m['_end'] = $end;
        $d['memory_map'][] = $m;
    }

    $d['regions'] = [];
    $prev_end = -1;
    $map_i = 0;
    for ($i = 0; $i < $region_count; $i++) {
        $addr = $r->u64("region $i header");
        $size = $r->u64("region $i header");
        $span = sprintf('0x%x-0x%x', $addr, $addr + $size);
        if ($size === 0) {
            throw new Malformed("region $i at 0x" . dechex($addr) . ' is empty');
        }
        if ($addr > PHP_INT_MAX - $size) {
            throw new Malformed("region $i overflows the address space");
        }
        if ($addr < $prev_end) {
            throw new Malformed("region $i $span is not sorted or overlaps the one before");
        }
        $prev_end = $addr + $size;
        /* Regions and mappings are both sorted: walk the map along. */
        $first = hex16($addr);
        $last = hex16($addr + $size);
        while ($map_i < count($d['memory_map']) && strcmp($d['memory_map'][$map_i]['_end'], $first) <= 0) {
            $map_i++;
        }
        $m = $d['memory_map'][$map_i] ?? null;
        if ($m === null || strcmp($first, $m['_begin']) < 0 || strcmp($last, $m['_end']) > 0) {
            throw new Malformed("region $i $span is outside every mapping");
        }
        if (!$m['read']) {
            throw new Malformed("region $i $span lies in an unreadable mapping ({$m['begin']}-{$m['end']})");
        }
        $d['regions'][] = ['address' => $addr, 'size' => $size, 'data_offset' => $r->pos()];
        $r->skip($size, "region $i data ($size bytes at 0x" . dechex($addr) . ')');
    }
    $trailing = $r->size - $r->pos();
    if ($trailing > 0) {
        throw new Malformed("$trailing trailing bytes after the last region");
    }
    $d['file_size'] = $r->size;
    foreach ($d['memory_map'] as &$m) {
        unset($m['_begin'], $m['_end']);
    }
    return $d;
}

/* Every address where $needle occurs in region data, streamed in chunks. */
function find($fh, array $regions, string $needle): array
{
    $hits = [];
    $keep = strlen($needle) - 1;
    foreach ($regions as $reg) {
        fseek($fh, $reg['data_offset']);
        $left = $reg['size'];
        $carry = '';
        $base = $reg['address'];        /* address of $carry's first byte */
        while ($left > 0) {
            $chunk = fread($fh, min($left, 1 << 20));
            $left -= strlen($chunk);
            $hay = $carry . $chunk;
            for ($at = strpos($hay, $needle); $at !== false; $at = strpos($hay, $needle, $at + 1)) {
                $hits[] = $base + $at;
                if (count($hits) >= MAX_FINDS) {
                    return $hits;
                }
            }
            $cut = max(0, strlen($hay) - $keep);
            $carry = $keep > 0 ? substr($hay, $cut) : '';
            $base += $cut;
        }
    }
    return $hits;
}

function human(int $n): string
{
    if ($n >= 1 << 30) {
        return sprintf('%.1f GiB', $n / (1 << 30));
    }
    if ($n >= 1 << 20) {
        return sprintf('%.1f MiB', $n / (1 << 20));
    }
    if ($n >= 1 << 10) {
        return sprintf('%.1f KiB', $n / 1024);
    }
    return "$n B";
}

function region_of(array $d, int $addr): string
{
    foreach ($d['regions'] as $i => $r) {
        if ($addr >= $r['address'] && $addr < $r['address'] + $r['size']) {
            return "in region #$i";
        }
    }
    return 'NOT CAPTURED';
}

function print_text(array $d, bool $summary, array $finds)
{
    $rss = $d['format_version'] < 2 ? '(not recorded)'
        : ($d['rss_bytes'] === null ? '(unavailable)' : $d['rss_bytes'] . ' bytes');
    echo "=== Header ===\n";
    printf("  Magic:            %s\n  Format Version:   %d\n  PHP Version:      %s\n  PID:              %d\n",
        $d['magic'], $d['format_version'], $d['php_version'], $d['pid']);
    printf("  EG Address:       0x%x%s\n  CG Address:       0x%x%s\n", $d['eg_address'],
        $summary ? '  (' . region_of($d, $d['eg_address']) . ')' : '', $d['cg_address'],
        $summary ? '  (' . region_of($d, $d['cg_address']) . ')' : '');
    printf("  RSS at dump:      %s\n  Memory Map Count: %d\n  Region Count:     %d\n\n", $rss,
        count($d['memory_map']), count($d['regions']));
    echo "=== Module Globals ===\n";
    foreach ($d['module_globals'] as $k => $a) {
        printf("  %-17s 0x%x%s\n", $k, $a, $summary && $k !== 'tsrm_ls_cache' ? '  (' . region_of($d, $a) . ')' : '');
    }
    $total = array_sum(array_column($d['regions'], 'size'));
    if ($summary) {
        $mapped = 0;
        foreach ($d['memory_map'] as $m) {
            $mapped += (int)(hex_number($m['end']) - hex_number($m['begin']));
        }
        printf("\n  Memory Map:       %d entries, %s mapped\n", count($d['memory_map']), human($mapped));
        printf("  Captured:         %s of %s mapped (%d bytes)\n", human($total), human($mapped), $total);
    } else {
        echo "\n=== Memory Map ===\n";
        foreach ($d['memory_map'] as $m) {
            /* Permissions as /proc prints them: 's' for shared (reli's own
             * inspector prints '-' there). */
            printf("  %s-%s %s%s%s%s %s %s %d %s\n", $m['begin'], $m['end'], $m['read'] ? 'r' : '-',
                $m['write'] ? 'w' : '-', $m['exec'] ? 'x' : '-', $m['private'] ? 'p' : 's',
                $m['file_offset'], $m['device'], $m['inode'], $m['name']);
        }
        echo "\n=== Regions ===\n";
        foreach ($d['regions'] as $i => $r) {
            printf("  #%-5d 0x%x - 0x%x  (%s)\n", $i, $r['address'], $r['address'] + $r['size'], human($r['size']));
        }
    }
    printf("Total: %d regions, %s\n", count($d['regions']), human($total));
    foreach ($finds as $needle => $hits) {
        echo $hits ? sprintf("Found \"%s\": %s\n", $needle, implode(', ', array_map(function ($a) {
            return sprintf('0x%x', $a);
        }, $hits))) : "Not found \"$needle\"\n";
    }
}

function main(array $argv): int
{
    $json = $summary = false;
    $needles = [];
    $file = null;
    foreach (array_slice($argv, 1) as $arg) {
        if ($arg === '--json') {
            $json = true;
        } elseif ($arg === '--summary') {
            $summary = true;
        } elseif (strncmp($arg, '--find=', 7) === 0 && strlen($arg) > 7) {
            $needles[] = substr($arg, 7);
        } elseif ($file === null && ($arg === '' || $arg[0] !== '-' || $arg === '-')) {
            $file = $arg;
        } else {
            $file = null;
            break;
        }
    }
    if ($file === null || $file === '') {
        fwrite(STDERR, "usage: rdump-inspect.php [--json] [--summary] [--find=STRING]... FILE\n");
        return 2;
    }
    if (PHP_INT_SIZE !== 8) {
        fwrite(STDERR, "rdump-inspect: needs a 64-bit PHP\n");
        return 2;
    }
    $fh = @fopen($file, 'rb');
    if ($fh === false || !is_file($file)) {
        $e = error_get_last();
        fwrite(STDERR, "rdump-inspect: cannot open $file: " . ($fh ? 'not a regular file' : ($e['message'] ?? 'error')) . "\n");
        return 2;
    }
    try {
        $d = parse(new Reader($fh, fstat($fh)['size']));
    } catch (Malformed $e) {
        fwrite(STDERR, "rdump-inspect: $file: " . $e->getMessage() . "\n");
        return 1;
    }
    $finds = [];
    foreach ($needles as $n) {
        $finds[$n] = find($fh, $d['regions'], $n);
    }
    fclose($fh);
    if ($json) {
        $d['finds'] = (object)$finds;
        $flags = JSON_UNESCAPED_SLASHES | (defined('JSON_INVALID_UTF8_SUBSTITUTE') ? JSON_INVALID_UTF8_SUBSTITUTE : 0);
        $out = json_encode($d, $flags);
        if ($out === false) {
            fwrite(STDERR, "rdump-inspect: $file: cannot encode as JSON: " . json_last_error_msg() . "\n");
            return 1;
        }
        echo $out, "\n";
    } else {
        print_text($d, $summary, $finds);
    }
    return 0;
}

/* hexdec() without PHP 8.6's notice above PHP_INT_MAX ([vsyscall] lies
 * above 2^63): an int, or a float there, as hexdec() gives. */
function hex_number(string $hex)
{
    if (strlen($hex) <= 15) {
        return hexdec($hex);
    }
    return hexdec(substr($hex, 0, -8)) * 4294967296 + hexdec(substr($hex, -8));
}

exit(main($argv));
