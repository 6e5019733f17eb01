<?php
// The sample application's front controller: every path without a file of its own lands here.
declare(strict_types=1);

session_start();

// Under a servlet context path (a WAR at /fastcgi-bridge-sample) every URL starts with it.
$base = rtrim(dirname($_SERVER['SCRIPT_NAME']), '/');

function page(string $title, string $body): void
{
    global $base;
    $title = htmlspecialchars($title);
    echo <<<HTML
    <!doctype html>
    <html lang="en">
    <head><meta charset="utf-8"><title>{$title}</title><link rel="stylesheet" href="{$base}/assets/style.css"></head>
    <body>
    <header><img src="{$base}/assets/logo.svg" alt="" width="32" height="32"> <a href="{$base}/">FastCGI Bridge sample</a></header>
    <main><h1>{$title}</h1>{$body}</main>
    </body>
    </html>
    HTML;
}

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($base !== '' && str_starts_with($path, $base)) {
    $path = substr($path, strlen($base)) ?: '/';
}

if ($path === '/') {
    page('Hello from PHP', '<ul>'
        . '<li><a href="' . $base . '/hello/Java">/hello/Java</a>: a route with a parameter</li>'
        . '<li><a href="' . $base . '/form">/form</a>: a form posted back</li>'
        . '<li><a href="' . $base . '/session">/session</a>: a counter kept in the session</li>'
        . '<li><a href="' . $base . '/upload">/upload</a>: a file upload</li>'
        . '<li><a href="' . $base . '/greeter.php">/greeter.php</a>: the greeter script itself</li>'
        . '</ul>');
} elseif (preg_match('#^/hello/([^/]+)$#', $path, $m)) {
    page('Hello ' . urldecode($m[1]), '<p>Routed by the front controller.</p>');
} elseif ($path === '/form') {
    $answer = '';
    if ($_SERVER['REQUEST_METHOD'] === 'POST') {
        $answer = '<p class="answer">You wrote: <strong>' . htmlspecialchars($_POST['message'] ?? '') . '</strong></p>';
    }
    page('A form', $answer . '<form method="post"><input name="message" autofocus> <button>Send</button></form>');
} elseif ($path === '/session') {
    $_SESSION['visits'] = ($_SESSION['visits'] ?? 0) + 1;
    page('A session', '<p>Visits in this session: <strong id="visits">' . $_SESSION['visits'] . '</strong></p>');
} elseif ($path === '/upload') {
    $answer = '';
    if ($_SERVER['REQUEST_METHOD'] === 'POST' && isset($_FILES['file']) && $_FILES['file']['error'] === UPLOAD_ERR_OK) {
        $file = $_FILES['file'];
        $answer = sprintf('<p class="answer">Received %s: %d bytes, md5 %s</p>', htmlspecialchars($file['name']),
            $file['size'], md5_file($file['tmp_name']));
    }
    page('An upload', $answer . '<form method="post" enctype="multipart/form-data"><input type="file" name="file">'
        . ' <button>Upload</button></form>');
} else {
    http_response_code(404);
    page('Not found', '<p>No route for ' . htmlspecialchars($path) . '.</p>');
}
