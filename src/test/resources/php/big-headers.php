<?php
// ?lines=N: N response header lines of exactly 1,000 bytes each (with their CRLF), then a short body.
$lines = (int) ($_GET['lines'] ?? 0);
for ($i = 0; $i < $lines; $i++) {
    header(sprintf('X-Filler-%04d: %s', $i, str_repeat('f', 1000 - 13 - 2 - 2)));
}
echo 'headers sent';
