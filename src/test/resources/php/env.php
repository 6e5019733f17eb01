<?php
// $_SERVER as NAME=value lines, for tests that compare the CGI environment.
header('Content-Type: text/plain');
foreach ($_SERVER as $name => $value) {
    if (is_string($value)) {
        echo $name, '=', $value, "\n";
    }
}
