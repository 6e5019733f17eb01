<?php
// 1 MiB (or ?mib=N MiB) of output in 64 KiB writes.
$chunk = str_repeat('x', 65536);
$count = 16 * (int)($_GET['mib'] ?? 1);
for ($i = 0; $i < $count; $i++) {
    echo $chunk;
}
