<?php
// When this request started and ended, in microseconds, to count how many ran at once.
$start = (int)(microtime(true) * 1e6);
usleep((int)($_GET['us'] ?? 300000));
echo $start . ' ' . (int)(microtime(true) * 1e6);
