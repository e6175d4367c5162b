--TEST--
rdump_dump(): the memory map is /proc/self/maps of that moment, and (whole-mapping mode) the regions are exactly the chosen mappings
--SKIPIF--
<?php
require __DIR__ . '/skipif.inc';
rdump_skip_if_asan("AddressSanitizer's runtime maps memory while the dump's helper thread runs: the map cannot be compared exactly");
?>
--FILE--
<?php
require __DIR__ . '/rdump_test.inc';
$dir = rdump_test_dir();
$file = "$dir/m.rdump";

/* The engine adds no mapping of its own, so when the maps read just before
 * and just after the dump agree, the dump's map must be that text exactly.
 * In a child with the Zend allocator on (as in production): with it off
 * (valgrind and sanitizer runs), the reading itself can map memory. Not
 * under valgrind (scripts/test.sh skips children with the argument
 * "exact-maps"): its own mappings grow while the dump's helper thread
 * runs and shrink back after it. */
$code = <<<'PHP'
for ($try = 0; $try < 5; $try++) {
    $before = file_get_contents('/proc/self/maps');
    if (!rdump_dump($argv[1])) {
        die("dump failed\n");
    }
    $after = file_get_contents('/proc/self/maps');
    if ($before === $after) {
        break;
    }
}
file_put_contents($argv[1] . '.maps', $before);
file_put_contents($argv[1] . '.smaps', file_get_contents('/proc/self/smaps'));
echo $before === $after ? 'same' : 'changed';
PHP;
list($rc, $out, $err) = rdump_test_run(array_merge(rdump_test_php(), ['-d', 'rdump.resident_only=0', '-r', $code, $file, 'exact-maps']),
    rdump_test_env());
echo $err;
$before = (string)@file_get_contents("$file.maps");
$after = $out === 'same' ? $before : null;
var_dump($before === $after);
$d = rdump_test_load($file);
$proc = rdump_test_proc_maps($before);
var_dump(count($d['memory_map']) === count($proc));
var_dump($d['memory_map'] === $proc);

/* The capture policy, restated: readable, not a kernel page, not marked
 * MADV_DONTDUMP (glibc 2.41's getrandom state is, for one), and writable,
 * anonymous or shared memory. */
preg_match_all('/^([0-9a-f]+)-[0-9a-f]+ .*\n(?:(?![0-9a-f]+-[0-9a-f]+ ).*\n)*?VmFlags:.* dd\b/m',
    (string)@file_get_contents("$file.smaps"), $dd);
$dontdump = array_flip($dd[1]);
$want = [];
foreach ($proc as $m) {
    if (isset($dontdump[ltrim($m['begin'], '0')]) || isset($dontdump[$m['begin']])) {
        continue;
    }
    $special = in_array($m['name'], ['[vvar]', '[vvar_vclock]', '[vdso]', '[vsyscall]', '[uprobes]'], true);
    $anon = $m['name'] === '' || $m['name'] === '[heap]' || strncmp($m['name'], '[stack', 6) === 0
        || strncmp($m['name'], '[anon:', 6) === 0;
    $shm = !$m['private'] && ($m['name'] === '' || preg_match('~^(/dev/zero|/memfd:|/SYSV|/dev/shm/|\[anon_shmem)~', $m['name']));
    if ($m['read'] && !$special && ($m['write'] || $anon || $shm)) {
        $want[] = [rdump_test_hexdec($m['begin']), rdump_test_hexdec($m['end']) - rdump_test_hexdec($m['begin'])];
    }
}
$got = array_map(function ($r) { return [$r['address'], $r['size']]; }, $d['regions']);
var_dump(count($got) > 0);
var_dump($got === $want);

/* What a normal dump leaves out: the read-only segments of the binary. */
$ro = 0;
foreach ($proc as $m) {
    if ($m['name'] !== '' && $m['name'][0] === '/' && !$m['write'] && $m['private']
        && rdump_test_region_of($d, rdump_test_hexdec($m['begin'])) >= 0) {
        $ro++;
    }
}
var_dump($ro);
?>
--CLEAN--
<?php
require __DIR__ . '/rdump_test.inc';
rdump_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
