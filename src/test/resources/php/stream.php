<?php
echo 'first';
flush();
sleep(2);
echo 'second';
