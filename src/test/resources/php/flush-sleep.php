<?php
echo 'started';
flush();
sleep((int)($_GET['s'] ?? 30));
echo 'done';
