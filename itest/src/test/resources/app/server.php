<?php
// What PHP is told about the client and its connection: the container's proxy valve decides it.
header('Content-Type: text/plain; charset=UTF-8');
foreach (['REMOTE_ADDR', 'HTTPS', 'REQUEST_SCHEME', 'SERVER_PORT', 'HTTP_X_FORWARDED_FOR', 'HTTP_X_FORWARDED_PROTO'] as $name) {
    if (isset($_SERVER[$name])) {
        echo $name, '=', $_SERVER[$name], "\n";
    }
}
