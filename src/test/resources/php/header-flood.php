<?php
// ?kib=N: N response headers of about 1 KiB each; ?body=M: then M KiB of body before 'end';
// ?length=1: with its Content-Length.
$body = str_repeat('b', 1024 * (int)($_GET['body'] ?? 0)) . 'end';
for ($i = 0; $i < (int)($_GET['kib'] ?? 20); $i++) {
    header('X-Flood-' . $i . ': ' . str_repeat('h', 1000));
}
if (isset($_GET['length'])) {
    header('Content-Length: ' . strlen($body));
}
echo $body;
