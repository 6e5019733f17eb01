<?php
// Server-sent events: ?count= events, ?gap= seconds apart, each flushed; ?unbuffered adds X-Accel-Buffering: no.
header('Content-Type: text/event-stream');
header('Cache-Control: no-cache');
if (isset($_GET['unbuffered'])) {
    header('X-Accel-Buffering: no');
}
$count = (int)($_GET['count'] ?? 3);
for ($i = 1; $i <= $count; $i++) {
    echo "data: event $i\n\n";
    flush();
    if ($i < $count) {
        sleep((int)($_GET['gap'] ?? 2));
    }
}
