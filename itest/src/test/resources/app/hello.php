<?php
// Where PHP thinks it runs: the bridge must give the path as the client asked for it.
header('Content-Type: text/plain; charset=UTF-8');
echo "SCRIPT_NAME=", $_SERVER['SCRIPT_NAME'], "\n";
echo "REQUEST_URI=", $_SERVER['REQUEST_URI'], "\n";
