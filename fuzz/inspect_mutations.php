<?php
/*
 * Mutation fuzzing of tools/rdump-inspect.php: take a real dump, damage it
 * at random (bit flips, truncation, extreme integers, spliced and inserted
 * bytes), and check that the inspector either accepts the file (exit 0) or
 * rejects it with one line "rdump-inspect: ..." on stderr (exit 1), never
 * dies with a PHP error, warning or notice, and never takes more than a
 * few seconds.
 *
 *   php -d extension=rdump.so fuzz/inspect_mutations.php SECONDS WORKDIR
 *
 * Needs rdump loaded (for the dump to mutate). Prints the number of
 * mutated files tried; exits 1 with the offending file kept in WORKDIR.
 */
$secs = (int)($argv[1] ?? 60);
$work = $argv[2] ?? sys_get_temp_dir();
$inspector = __DIR__ . '/../tools/rdump-inspect.php';
$seed = "$work/seed.rdump";
if (!rdump_dump($seed)) {
    fwrite(STDERR, "cannot make the seed dump\n");
    exit(1);
}
$orig = file_get_contents($seed);
$len = strlen($orig);
mt_srand((int)(getenv('FUZZ_SEED') ?: 1));

function mutate(string $s): string
{
    $n = strlen($s);
    switch (mt_rand(0, 5)) {
        case 0: /* flip 1-8 bytes, mostly in the header, map and index */
            for ($i = mt_rand(1, 8); $i > 0; $i--) {
                $at = mt_rand(0, 3) ? mt_rand(0, min($n - 1, 65535)) : mt_rand(0, $n - 1);
                $s[$at] = chr(ord($s[$at]) ^ (1 << mt_rand(0, 7)));
            }
            return $s;
        case 1: /* truncate */
            return substr($s, 0, mt_rand(0, $n - 1));
        case 2: /* an extreme integer over a u32 or u64 */
            $vals = [pack('V', 0), pack('V', 0xffffffff), pack('V', 0x7fffffff), pack('P', 0),
                pack('P', -1), pack('P', PHP_INT_MAX), pack('V', $n), pack('P', $n * 2)];
            $v = $vals[mt_rand(0, count($vals) - 1)];
            $at = mt_rand(0, min($n - strlen($v), 65535));
            return substr_replace($s, $v, $at, strlen($v));
        case 3: /* splice a piece of the file over another place */
            $from = mt_rand(0, $n - 1);
            $piece = substr($s, $from, mt_rand(1, 64));
            return substr_replace($s, $piece, mt_rand(0, min($n - 1, 65535)), strlen($piece));
        case 4: /* insert random bytes */
            $at = mt_rand(0, min($n, 65535));
            return substr($s, 0, $at) . random_bytes(mt_rand(1, 16)) . substr($s, $at);
        default: /* remove a few bytes */
            $at = mt_rand(0, min($n - 1, 65535));
            return substr($s, 0, $at) . substr($s, $at + mt_rand(1, 16));
    }
}

$deadline = microtime(true) + $secs;
$runs = $accepted = $rejected = 0;
$file = "$work/mutated.rdump";
while (microtime(true) < $deadline) {
    $m = mutate($orig);
    if (mt_rand(0, 3) === 0) {
        $m = mutate($m);
    }
    file_put_contents($file, $m);
    $args = mt_rand(0, 1) ? ['--summary'] : ['--json', '--find=ZZ'];
    $cmd = array_merge([PHP_BINARY, '-n', $inspector], $args, [$file]);
    $t = microtime(true);
    $p = proc_open(implode(' ', array_map('escapeshellarg', $cmd)), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    $rc = proc_close($p);
    $took = microtime(true) - $t;
    $runs++;
    $why = null;
    if (preg_match('/(Fatal error|Warning|Notice|Deprecated|Uncaught)/', $out . $err)) {
        $why = 'a PHP error';
    } elseif ($rc === 0) {
        $accepted++;
    } elseif ($rc === 1 && preg_match('/^rdump-inspect: [^\n]+\n?$/', $err)) {
        $rejected++;
    } else {
        $why = "exit $rc with stderr '" . substr($err, 0, 200) . "'";
    }
    if ($why === null && $took > 10) {
        $why = sprintf('took %.1f s', $took);
    }
    if ($why !== null) {
        copy($file, "$work/failing-$runs.rdump");
        echo "mutation $runs: $why (kept as $work/failing-$runs.rdump)\n", substr($out . $err, 0, 500), "\n";
        exit(1);
    }
}
printf("%d mutated dumps in %d s: %d accepted, %d rejected with a one-line reason, no PHP error\n",
    $runs, $secs, $accepted, $rejected);
