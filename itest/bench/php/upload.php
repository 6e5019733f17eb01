<?php
// Reads the whole request body and answers its length.
$in = fopen('php://input', 'rb');
$n = 0;
while (!feof($in)) {
    $n += strlen(fread($in, 1 << 16));
}
echo $n;
