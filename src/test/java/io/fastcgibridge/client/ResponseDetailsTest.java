package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseDetailsTest {

    private PhpFpm fpm;
    private FastCgiClient client;

    @BeforeAll
    void connect(PhpFpm fpm) {
        this.fpm = fpm;
        client = new FastCgiClient(ClientSettings.forBackends(fpm.unixAddress()));
    }

    @AfterAll
    void close() {
        client.close();
    }

    @Test
    void statusHeaderCookiesAndStderrComeThroughSeparately() throws Exception {
        FastCgiResponse response = client.execute(FastCgiRequest.get(fpm.script("headers.php")));

        assertEquals(404, response.status());
        assertEquals("Gone", response.reason());
        assertEquals(List.of("a=1", "b=2", "c=3"), response.cookies());
        assertEquals(List.of("one", "two"), response.headers().all("x-multi"));
        assertTrue(response.headers().first("CONTENT-TYPE").orElseThrow().startsWith("text/html"));
        assertEquals(false, response.headers().contains("Status"), "Status became the status line");
        assertEquals("body", response.bodyText());
        assertTrue(response.stderr().contains("headers.php wrote to stderr"), response.stderr());
        assertEquals(0, response.appStatus());
        assertEquals(ProtocolStatus.REQUEST_COMPLETE, response.protocolStatus());
    }

    @Test
    void phpSeesTheCgiParamsOfTheRequest() throws Exception {
        FastCgiResponse response = client.execute(FastCgiRequest.get(fpm.script("server.php"))
                .withUri("/server.php?a=1&b=two")
                .withHeader("X-Trace", "t1")
                .withHeader("X-Trace", "t2")
                .withHeader("Cookie", "x=1")
                .withHeader("Cookie", "y=2")
                .withParam("APP_ENV", "test"));
        String json = response.bodyText();

        assertEquals(200, response.status());
        assertTrue(json.contains("\"REQUEST_METHOD\":\"GET\""), json);
        assertTrue(json.contains("\"QUERY_STRING\":\"a=1&b=two\""), json);
        assertTrue(json.contains("\"REQUEST_URI\":\"\\/server.php?a=1&b=two\""), json);
        assertTrue(json.contains("\"SCRIPT_FILENAME\":\"" + fpm.script("server.php").replace("/", "\\/") + "\""), json);
        assertTrue(json.contains("\"DOCUMENT_ROOT\":\"" + Path.of(fpm.script("server.php")).getParent().toString()
                .replace("/", "\\/") + "\""), json);
        assertTrue(json.contains("\"HTTP_X_TRACE\":\"t1, t2\""), json);
        assertTrue(json.contains("\"APP_ENV\":\"test\""), json);
        assertTrue(json.contains("\"get\":{\"a\":\"1\",\"b\":\"two\"}"), json);
        assertTrue(json.contains("\"cookie\":{\"x\":\"1\",\"y\":\"2\"}"), json);
    }

    @Test
    void aPostFormReachesPhpAsPostFields() throws Exception {
        FastCgiResponse response = client.execute(FastCgiRequest.post(fpm.script("server.php"),
                java.util.Map.of("name", "value with spaces")));

        assertTrue(response.bodyText().contains("\"post\":{\"name\":\"value with spaces\"}"), response.bodyText());
        assertTrue(response.bodyText().contains("\"REQUEST_METHOD\":\"POST\""));
    }
}
