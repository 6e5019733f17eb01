<?php echo 'Hello World';
