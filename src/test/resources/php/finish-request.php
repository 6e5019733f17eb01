<?php
// As Symfony does on every response: answer, end the FastCGI request, then go on working.
echo 'answered';
fastcgi_finish_request();
sleep((int)($_GET['s'] ?? 5));
