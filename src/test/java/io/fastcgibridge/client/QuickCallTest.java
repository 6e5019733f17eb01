package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(PhpFpmExtension.class)
class QuickCallTest {

    private final PhpFpm fpm;

    QuickCallTest(PhpFpm fpm) {
        this.fpm = fpm;
    }

    private String address(String transport) {
        return transport.equals("unix") ? fpm.unixAddress() : fpm.tcpAddress();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void greeterGreetsTheWorldOnAGet(String transport) throws Exception {
        assertEquals("Hello World", FastCgiClient.call(address(transport), fpm.script("greeter.php"), Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void greeterGreetsThePostedName(String transport) throws Exception {
        assertEquals("Hello Java",
                FastCgiClient.call(address(transport), fpm.script("greeter.php"), Map.of("who", "Java")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void postedFieldsAreUrlEncoded(String transport) throws Exception {
        assertEquals("Hello a&b=c ü",
                FastCgiClient.call(address(transport), fpm.script("greeter.php"), Map.of("who", "a&b=c ü")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-path", "unix-uri"})
    void everyUnixAddressFormReachesPhpFpm(String form) throws Exception {
        String address = form.equals("plain-path") ? fpm.socketPath().toString() : fpm.unixAddress();
        assertEquals("Hello World", FastCgiClient.call(address, fpm.script("greeter.php"), Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:", "localhost:"})
    void everyTcpAddressFormReachesPhpFpm(String prefix) throws Exception {
        assertEquals("Hello World",
                FastCgiClient.call(prefix + fpm.tcpPort(), fpm.script("greeter.php"), Map.of()));
    }
}
