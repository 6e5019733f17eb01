package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FastCgiAddressTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1:9000, 127.0.0.1, 9000",
            "tcp://php:9001, php, 9001",
            "[::1]:9000, ::1, 9000",
            "tcp://[2001:db8::5]:9002, 2001:db8::5, 9002",
    })
    void tcpFormsParseToHostAndPort(String text, String host, int port) {
        assertEquals(new FastCgiAddress.Tcp(host, port), FastCgiAddress.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix:///run/php/fpm.sock", "/run/php/fpm.sock"})
    void unixFormsParseToTheSocketPath(String text) {
        assertEquals(new FastCgiAddress.Unix(Path.of("/run/php/fpm.sock")), FastCgiAddress.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]:9000", "127.0.0.1:9000", "unix:///run/php/fpm.sock"})
    void theCanonicalFormParsesBackToTheSameAddress(String text) {
        assertEquals(text, FastCgiAddress.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "localhost|no port",
            "localhost:http|port 'http' is not a number",
            "localhost:0|port 0 outside 1..65535",
            "localhost:70000|port 70000 outside 1..65535",
            ":9000|empty host",
            "::1:9000|no port",
            "[::1]9000|needs the form [addr]:port",
            "unix://run/php.sock|must be absolute",
    })
    void aBadAddressSaysWhatIsWrongAndWhichFormsWork(String text, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FastCgiAddress.parse(text));

        assertTrue(e.getMessage().startsWith("bad FastCGI address '" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("unix:///path/to.sock"), e.getMessage());
    }
}
