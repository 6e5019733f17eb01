<?php
switch ($_GET['case'] ?? '') {
    case 'teapot':
        http_response_code(418);
        echo 'short and stout';
        break;
    case 'location':
        header('Location: /next');
        break;
    case 'gone':
        header('Status: 404 Gone');
        echo 'gone';
        break;
    case 'repeat':
        header('X-Multi: one');
        header('X-Multi: two', false);
        echo 'repeated';
        break;
    case 'cookies':
        setcookie('a', '1');
        setcookie('b', '2', ['path' => '/x']);
        setcookie('c', '3', ['httponly' => true]);
        echo 'cookies';
        break;
}
