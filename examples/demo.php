<?php
/* A small program with a call stack, objects, arrays and strings, that
 * dumps itself from three frames deep. Usage: php demo.php [out.rdump] */

final class Order
{
    public $id;
    public $lines = [];

    public function __construct(int $id)
    {
        $this->id = $id;
    }
}

function build_orders(int $n): array
{
    $orders = [];
    for ($i = 1; $i <= $n; $i++) {
        $order = new Order($i);
        $order->lines = array_fill(0, 10, str_repeat('item', 8) . $i);
        $orders[] = $order;
    }
    return $orders;
}

function report(array $orders, string $path): void
{
    $summary = sprintf('%d orders', count($orders));
    write_snapshot($path, $summary);
}

function write_snapshot(string $path, string $why): void
{
    if (!rdump_dump($path)) {
        fwrite(STDERR, "dump failed\n");
        exit(1);
    }
    printf("dumped %s (%s) to %s: %d bytes\n", 'demo', $why, $path, filesize($path));
}

report(build_orders(1000), $argv[1] ?? 'demo.rdump');
