<?php
// A text body of ?n= bytes; ?type=, ?encoding=, ?etag=, ?status=, ?unbuffered (X-Accel-Buffering: no),
// ?length (a Content-Length) shape the response.
$n = (int)($_GET['n'] ?? 2000);
if (isset($_GET['type'])) {
    header('Content-Type: ' . $_GET['type']);
}
if (isset($_GET['encoding'])) {
    header('Content-Encoding: ' . $_GET['encoding']);
}
if (isset($_GET['etag'])) {
    header('ETag: "' . $_GET['etag'] . '"');
}
if (isset($_GET['status'])) {
    http_response_code((int)$_GET['status']);
}
if (isset($_GET['unbuffered'])) {
    header('X-Accel-Buffering: no');
}
$body = substr(str_repeat('All work and no play makes Jack a dull boy. ', intdiv($n, 44) + 1), 0, $n);
if (isset($_GET['length'])) {
    header('Content-Length: ' . strlen($body));
}
echo $body;
