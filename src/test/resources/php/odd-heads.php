<?php
// Response heads a gateway must refuse (an interim status, names and values that are not valid HTTP)
// or accept (no header at all): ?case=NAME.
switch ($_GET['case'] ?? '') {
    case 'early-hints':
        header('Status: 103 Early Hints');
        header('Link: </style.css>; rel=preload');
        echo 'sent as the final answer';
        break;
    case 'continue':
        http_response_code(100);
        echo 'sent as the final answer';
        break;
    case 'switching':
        header('Status: 101 Switching Protocols');
        header('Upgrade: websocket');
        break;
    case 'space-in-name':
        header('Bad Name: 1');
        echo 'forwarded as it is';
        break;
    case 'control-in-name':
        header("X-Control\x01: 1");
        echo 'forwarded as it is';
        break;
    case 'control-in-value':
        header("X-Control: a\x1bb");
        echo 'forwarded as it is';
        break;
    case 'no-headers':
        // PHP then starts its output with the empty line that ends the (empty) header block.
        header_remove();
        ini_set('default_mimetype', '');
        echo "no header at all\r\n\r\nX-Not-A-Header: body text";
        break;
}
