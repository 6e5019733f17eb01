<?php
// A text page well above the 512 bytes from which responses are compressed.
header('Content-Type: text/plain; charset=UTF-8');
for ($i = 1; $i <= 100; $i++) {
    echo "line $i of a page that compresses well\n";
}
