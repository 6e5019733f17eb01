<?php
// Hands the response to the front: ?accel= sends X-Accel-Redirect, ?sendfile= X-Sendfile. Without
// ?type= PHP sends no Content-Type, so the file's own type applies. The body must never arrive.
if (isset($_GET['type'])) {
    header('Content-Type: ' . $_GET['type']);
} else {
    ini_set('default_mimetype', '');
}
header('Content-Disposition: attachment; filename="report.bin"');
header('X-Kept: yes');
header('ETag: "php-etag"');
header('Content-Length: 2500');
if (isset($_GET['accel'])) {
    header('X-Accel-Redirect: ' . $_GET['accel']);
}
if (isset($_GET['sendfile'])) {
    header('X-Sendfile: ' . $_GET['sendfile']);
}
echo str_repeat('PHP BODY MUST NOT ARRIVE ', 100);
