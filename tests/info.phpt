--TEST--
phpinfo(): the rdump section shows the extension version, RDUMP format version and version tag
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
bool(true)
bool(true)
