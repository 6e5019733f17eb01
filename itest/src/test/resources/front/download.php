<?php
// An application that has checked access hands the download to the front, as behind nginx.
header('Content-Type: application/octet-stream');
header('Content-Disposition: attachment; filename="report.bin"');
header('X-Accel-Redirect: /protected/file.bin');
