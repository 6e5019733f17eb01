<?php
setcookie('a', '1');
setcookie('b', '2');
setcookie('c', '3');
header('Status: 404 Gone');
header('X-Multi: one');
header('X-Multi: two', false);
error_log('headers.php wrote to stderr');
echo 'body';
