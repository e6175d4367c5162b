<?php
/* Stand-ins for the composer dependencies of reli's heap analyser, the test
 * oracle (../shared/reli-oracle): its reli/vendor/ directory is not shipped,
 * and php-di and sj-i/php-cast are not packaged by Debian. scripts/oracle.sh
 * loads this file from the oracle's reli/vendor/autoload.php in an overlay;
 * reli's own analysis code runs unchanged.
 *
 * - DI: a small autowiring container doing exactly what reli's
 *   config/di.php and the oracle's analyze.php use, written from php-di's
 *   documented behaviour: ContainerBuilder::addDefinitions/build,
 *   Container::get/make/has, autowire()->constructorParameter(), factory
 *   closures with parameters resolved by type, plain values. Definitions
 *   are resolved on first use, so the unused ones (Monolog, Noodlehaus,
 *   amphp) never load their classes.
 * - PhpCast\Cast, NullableCast: PHP's weak-mode scalar conversions even
 *   under strict_types, a TypeError where weak mode would throw one.
 * - Composer\InstalledVersions: knows no versions, so reli signs its report
 *   "reli unknown".
 * - Webmozart\Assert, Psr\Log, Psr\Container: Debian's packages
 *   (php-webmozart-assert, php-psr-log, php-psr-container).
 * - Reli\: PSR-4 and "files" as reli/composer.json declares them, through
 *   rdump_oracle_autoload(reli root directory). */

namespace {

const RDUMP_ORACLE_DEBIAN = [
    'Webmozart\\Assert\\' => '/usr/share/php/Webmozart/Assert/autoload.php',
    'Psr\\Log\\' => '/usr/share/php/Psr/Log/autoload.php',
    'Psr\\Container\\' => '/usr/share/php/Psr/Container/autoload.php',
];

/* Debian's loaders (each only registers its class map); a class of a
 * missing package fails naming the package. */
foreach (RDUMP_ORACLE_DEBIAN as $rdump_oracle_file) {
    if (is_file($rdump_oracle_file)) {
        require_once $rdump_oracle_file;
    }
}
spl_autoload_register(static function (string $class): void {
    foreach (RDUMP_ORACLE_DEBIAN as $prefix => $file) {
        if (strncmp($class, $prefix, strlen($prefix)) === 0 && !is_file($file)) {
            $package = 'php-' . strtolower(strtr(rtrim($prefix, '\\'), '\\', '-'));
            throw new \RuntimeException("$class: Debian package $package is not installed");
        }
    }
});

/* Autoloading for the reli checkout at $root, from its composer.json. */
function rdump_oracle_autoload(string $root): void
{
    $json = json_decode((string)file_get_contents("$root/composer.json"), true);
    $autoload = is_array($json) ? ($json['autoload'] ?? []) : [];
    $psr4 = [];
    foreach ($autoload['psr-4'] ?? [] as $prefix => $dirs) {
        foreach ((array)$dirs as $dir) {
            $psr4[] = [$prefix, rtrim("$root/$dir", '/') . '/'];
        }
    }
    spl_autoload_register(static function (string $class) use ($psr4): void {
        foreach ($psr4 as [$prefix, $dir]) {
            if (strncmp($class, $prefix, strlen($prefix)) === 0) {
                $file = $dir . strtr(substr($class, strlen($prefix)), '\\', '/') . '.php';
                if (is_file($file)) {
                    require $file;
                    return;
                }
            }
        }
    });
    foreach ($autoload['files'] ?? [] as $file) {
        require_once "$root/$file";
    }
}

}

namespace Composer {

final class InstalledVersions
{
    public static function isInstalled(string $packageName, bool $includeDevRequirements = true): bool
    {
        return false;
    }

    public static function getVersion(string $packageName): ?string
    {
        return null;
    }

    public static function getPrettyVersion(string $packageName): ?string
    {
        return null;
    }
}

}

namespace PhpCast {

/* Weak-mode conversions: what passing $value to an int/float/string/bool
 * parameter without strict_types would give, with the same TypeErrors
 * (null, arrays, plain objects, non-numeric strings, out-of-range floats). */
final class Cast
{
    public static function toInt($value): int
    {
        if (is_int($value) || is_bool($value)) {
            return (int)$value;
        }
        if (is_string($value) && is_numeric($value)) {
            $value = +$value;
            if (is_int($value)) {
                return $value;
            }
        }
        if (is_float($value) && is_finite($value) && $value >= PHP_INT_MIN && $value < PHP_INT_MAX) {
            return (int)$value;
        }
        throw self::error('int', $value);
    }

    public static function toFloat($value): float
    {
        if (is_int($value) || is_float($value) || is_bool($value) || (is_string($value) && is_numeric($value))) {
            return (float)$value;
        }
        throw self::error('float', $value);
    }

    public static function toString($value): string
    {
        if (is_scalar($value) || $value instanceof \Stringable) {
            return (string)$value;
        }
        throw self::error('string', $value);
    }

    public static function toBool($value): bool
    {
        if (is_scalar($value)) {
            return (bool)$value;
        }
        throw self::error('bool', $value);
    }

    private static function error(string $type, $value): \TypeError
    {
        return new \TypeError(sprintf('cannot cast %s to %s', get_debug_type($value), $type));
    }
}

/* The same, passing null through. */
final class NullableCast
{
    public static function toInt($value): ?int
    {
        return $value === null ? null : Cast::toInt($value);
    }

    public static function toFloat($value): ?float
    {
        return $value === null ? null : Cast::toFloat($value);
    }

    public static function toString($value): ?string
    {
        return $value === null ? null : Cast::toString($value);
    }

    public static function toBool($value): ?bool
    {
        return $value === null ? null : Cast::toBool($value);
    }
}

}

namespace DI\Definition\Helper {

/* What autowire() returns: a class to build, with some constructor
 * parameters given by name (or position). */
final class AutowireDefinitionHelper
{
    /** @var array<string|int, mixed> */
    public array $parameters = [];

    public function __construct(public ?string $class = null)
    {
    }

    public function constructorParameter(string|int $parameter, mixed $value): self
    {
        $this->parameters[$parameter] = $value;
        return $this;
    }
}

}

namespace DI {

use DI\Definition\Helper\AutowireDefinitionHelper;
use Psr\Container\ContainerExceptionInterface;
use Psr\Container\ContainerInterface;
use Psr\Container\NotFoundExceptionInterface;

class NotFoundException extends \Exception implements NotFoundExceptionInterface
{
}

class DependencyException extends \Exception implements ContainerExceptionInterface
{
}

/* Autowire $class, or the entry's own name when null. */
function autowire(?string $class = null): AutowireDefinitionHelper
{
    return new AutowireDefinitionHelper($class);
}

class ContainerBuilder
{
    /** @var list<array<string, mixed>|string> */
    private array $sources = [];

    /** Arrays of definitions, or files returning one; later ones win. */
    public function addDefinitions(string|array ...$definitions): static
    {
        array_push($this->sources, ...$definitions);
        return $this;
    }

    public function build(): Container
    {
        $definitions = [];
        foreach ($this->sources as $source) {
            if (is_string($source)) {
                $source = require $source;
                if (!is_array($source)) {
                    throw new DependencyException('a definition file must return an array');
                }
            }
            $definitions = array_replace($definitions, $source);
        }
        return new Container($definitions);
    }
}

/* get() builds an entry once and keeps it, make() builds a new one each
 * time; entries without a definition are autowired when their class can be
 * instantiated. The container answers for itself. */
class Container implements ContainerInterface
{
    /** @var array<string, mixed> */
    private array $entries = [];
    /** @var array<string, true> */
    private array $resolving = [];

    /** @param array<string, mixed> $definitions */
    public function __construct(private array $definitions = [])
    {
        $this->entries[self::class] = $this;
        $this->entries[ContainerInterface::class] = $this;
    }

    public function get(string $id): mixed
    {
        if (!array_key_exists($id, $this->entries)) {
            $this->entries[$id] = $this->resolve($id, []);
        }
        return $this->entries[$id];
    }

    /** @param array<string, mixed> $parameters by name, ahead of the definition's */
    public function make(string $name, array $parameters = []): mixed
    {
        return $this->resolve($name, $parameters);
    }

    public function has(string $id): bool
    {
        if (array_key_exists($id, $this->entries) || array_key_exists($id, $this->definitions)) {
            return true;
        }
        return class_exists($id) && (new \ReflectionClass($id))->isInstantiable();
    }

    public function set(string $name, mixed $value): void
    {
        $this->definitions[$name] = $value;
        unset($this->entries[$name]);
    }

    private function resolve(string $id, array $parameters): mixed
    {
        if (isset($this->resolving[$id])) {
            throw new DependencyException("Circular dependency detected while trying to resolve entry '$id'");
        }
        $this->resolving[$id] = true;
        try {
            if (!array_key_exists($id, $this->definitions)) {
                if (!class_exists($id) && !interface_exists($id)) {
                    throw new NotFoundException("No entry or class found for '$id'");
                }
                return $this->instantiate($id, $id, $parameters);
            }
            $definition = $this->definitions[$id];
            if ($definition instanceof AutowireDefinitionHelper) {
                return $this->instantiate($id, $definition->class ?? $id, $parameters + $definition->parameters);
            }
            if ($definition instanceof \Closure) {
                $function = new \ReflectionFunction($definition);
                return $definition(...$this->arguments($id, $function, $parameters, false));
            }
            return $definition;
        } finally {
            unset($this->resolving[$id]);
        }
    }

    private function instantiate(string $id, string $class, array $parameters): object
    {
        if (!class_exists($class) && !interface_exists($class)) {
            throw new DependencyException("Entry '$id' cannot be resolved: class $class does not exist");
        }
        $reflection = new \ReflectionClass($class);
        if (!$reflection->isInstantiable()) {
            throw new DependencyException("Entry '$id' cannot be resolved: $class is not instantiable");
        }
        $constructor = $reflection->getConstructor();
        if ($constructor === null) {
            return new $class();
        }
        return $reflection->newInstanceArgs($this->arguments($id, $constructor, $parameters, true));
    }

    /* Arguments by name (or position) from $given, else by class type from
     * the container, else the default. A constructor's typed parameter
     * takes the entry even when the container lacks it (so the error names
     * it); a factory's falls back to its default first. */
    private function arguments(string $id, \ReflectionFunctionAbstract $function, array $given, bool $autowiring): array
    {
        $args = [];
        foreach ($function->getParameters() as $index => $parameter) {
            $name = $parameter->getName();
            if (array_key_exists($name, $given)) {
                $args[] = $given[$name];
                continue;
            }
            if (array_key_exists($index, $given)) {
                $args[] = $given[$index];
                continue;
            }
            if ($parameter->isVariadic()) {
                break;
            }
            $type = $parameter->getType();
            $class = $type instanceof \ReflectionNamedType && !$type->isBuiltin() ? $type->getName() : null;
            if ($class !== null && ($this->has($class) || ($autowiring && !$parameter->isOptional()))) {
                $args[] = $this->get($class);
            } elseif ($parameter->isOptional()) {
                $args[] = $parameter->getDefaultValue();
            } else {
                $where = $function instanceof \ReflectionMethod ? $function->class . '::' . $function->getName() . '()' : 'the factory';
                throw new DependencyException("Entry '$id' cannot be resolved: parameter \$$name of $where has no value defined or guessable");
            }
        }
        return $args;
    }
}

}
