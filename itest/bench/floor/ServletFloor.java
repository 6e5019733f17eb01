import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * What the servlet container costs before any FastCGI: an embedded Tomcat with its default NIO
 * connector and one servlet that answers every request with "Hello World" (Content-Length 11), the
 * body hello.php gives. {@code sync} answers in {@code service()}; {@code async} starts async and
 * answers from one other thread, then completes, which is the least a servlet in front of a
 * non-blocking client does (no thread waits for the backend). compare.sh measures both at the
 * launcher's request rate, beside nginx, so that the launcher's CPU per request can be set against
 * the container's own.
 *
 * <pre>java -cp fastcgi-bridge.jar ServletFloor.java sync|async PORT</pre>
 *
 * Listens on 127.0.0.1 only and prints {@code listening on 127.0.0.1:PORT} once it serves.
 */
public final class ServletFloor {

    private static final byte[] BODY = "Hello World".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        boolean async = switch (args.length == 2 ? args[0] : "") {
            case "sync" -> false;
            case "async" -> true;
            default -> throw new IllegalArgumentException("usage: ServletFloor sync|async PORT");
        };
        int port = Integer.parseInt(args[1]);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("servlet-floor").toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(port);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        ExecutorService answering = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "answering");
            thread.setDaemon(true);
            return thread;
        });
        Tomcat.addServlet(context, "hello", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (!async) {
                    answer(response);
                    return;
                }
                AsyncContext started = request.startAsync();
                answering.execute(() -> {
                    try {
                        answer((HttpServletResponse) started.getResponse());
                    } catch (IOException e) {
                        // the client went away; complete() below ends the request all the same
                    }
                    started.complete();
                });
            }
        }).setAsyncSupported(true);
        context.addServletMappingDecoded("/", "hello");
        tomcat.start();
        System.out.println("listening on 127.0.0.1:" + connector.getLocalPort());
        tomcat.getServer().await();
    }

    private static void answer(HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
        response.flushBuffer();
    }
}
