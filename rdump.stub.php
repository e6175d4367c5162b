<?php

/**
 * @generate-function-entries
 * @generate-legacy-arginfo
 */

function rdump_dump(string $path, bool $full = false, bool $background = false): bool {}

function rdump_set_oom_dump(?string $path, bool $full = false): bool {}
