<?php
// Proves whether PHP ran: writes a marker file beside the document root's parent.
file_put_contents(__DIR__ . '/../php-ran.marker', date('c') . "\n", FILE_APPEND);
echo 'touched';
