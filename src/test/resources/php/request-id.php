<?php
// What PHP learns of the request's id and trace context; the stderr line goes to the bridge's log.
error_log('request-id.php ran for ' . ($_SERVER['HTTP_X_REQUEST_ID'] ?? 'no id'));
header('Content-Type: text/plain');
foreach (['HTTP_X_REQUEST_ID', 'HTTP_TRACEPARENT', 'HTTP_TRACESTATE'] as $name) {
    echo $name, '=', $_SERVER[$name] ?? '', "\n";
}
