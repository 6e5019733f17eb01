<?php
$files = [];
foreach ($_FILES as $field => $file) {
    $files[$field] = ['name' => $file['name'], 'size' => $file['size'], 'error' => $file['error'],
        'md5' => $file['error'] === UPLOAD_ERR_OK ? md5_file($file['tmp_name']) : null];
}
$input = file_get_contents('php://input');
header('Content-Type: application/json');
echo json_encode(['server' => $_SERVER, 'get' => $_GET, 'post' => $_POST, 'cookie' => $_COOKIE,
    'files' => $files, 'input' => ['md5' => md5($input), 'length' => strlen($input)]]);
