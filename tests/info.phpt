--TEST--
phpinfo(): the rdump section shows the extension version, RDUMP format version, version tag, effective OOM settings and the INI entries
--FILE--
<?php
$r = new ReflectionExtension('rdump');
ob_start();
$r->info();
$info = ob_get_clean();
echo $info;
var_dump($r->getVersion() === phpversion('rdump'));
var_dump(strpos($info, 'v' . PHP_MAJOR_VERSION . PHP_MINOR_VERSION) !== false);
?>
--EXPECTF--
rdump

rdump support => enabled
Extension version => %d.%d.%s
RDUMP format version => 3
Version tag written => v%d

OOM dump (effective) => Value
path template => off
embed read-only mappings => no
dumps per worker => 1
minimum interval (s) => off
disk budget (bytes) => off
completion marker => no
in the background => no

Signal dump (effective) => Value
signal => off
path template => none
embed read-only mappings => no
in the background => no

Capture (effective) => Value
memory captured => resident pages
MADV_DONTDUMP mappings => listed only
copy path => %s
memory cgroup limited => %s
page cache => auto: flushed behind the writer if the memory cgroup is limited

Directive => Local Value => Master Value
rdump.oom_dump => no value => no value
rdump.oom_dump_full => 0 => 0
rdump.oom_dump_max => 1 => 1
rdump.oom_dump_min_interval => 0 => 0
rdump.oom_dump_max_total => 0 => 0
rdump.oom_dump_marker => 0 => 0
rdump.resident_only => 1 => 1
rdump.include_dontdump => 0 => 0
rdump.safe_read => %d => %d
rdump.flush_behind => auto => auto
rdump.oom_dump_background => 0 => 0
rdump.signal => no value => no value
rdump.signal_dump => no value => no value
rdump.signal_dump_full => 0 => 0
rdump.signal_dump_background => 0 => 0
bool(true)
bool(true)
