<?php
$body = file_get_contents('php://input');
echo md5($body) . ' ' . strlen($body);
