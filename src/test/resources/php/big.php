<?php
// Byte i of the whole response is chr(i % 251), so a reader can verify every byte.
$chunkSize = 65536;
$total = (int)($_GET['mib'] ?? 1) * 1048576;
$pattern = '';
for ($i = 0; $i < 251; $i++) {
    $pattern .= chr($i);
}
$source = str_repeat($pattern, intdiv($chunkSize, 251) + 2);
header('Content-Type: application/octet-stream');
while (ob_get_level() > 0) {
    ob_end_flush();
}
for ($offset = 0; $offset < $total; $offset += $chunkSize) {
    echo substr($source, $offset % 251, min($chunkSize, $total - $offset));
    flush();
}
