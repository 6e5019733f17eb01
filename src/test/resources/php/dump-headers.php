<?php
header('Content-Type: application/json');
$headers = [];
foreach ($_SERVER as $name => $value) {
    if (strncmp($name, 'HTTP_', 5) === 0) {
        $headers[$name] = $value;
    }
}
echo json_encode($headers, JSON_FORCE_OBJECT);
