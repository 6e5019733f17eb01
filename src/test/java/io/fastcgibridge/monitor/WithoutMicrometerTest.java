package io.fastcgibridge.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Micrometer is optional: in a class loader without it (a plain Tomcat with only the bridge's jar),
 * the bridge starts, serves a script, counts it and shows it in JMX.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WithoutMicrometerTest {

    @Test
    @SuppressWarnings("unchecked")
    void theBridgeServesAndCountsWithNoMicrometerOnTheClassPath() throws Exception {
        try (RecordingLoader withoutMicrometer = new RecordingLoader(classPathWithout("micrometer", "prometheus",
                "HdrHistogram"))) {
            assertThrows(ClassNotFoundException.class,
                    () -> withoutMicrometer.loadClass("io.micrometer.core.instrument.MeterRegistry"));
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(withoutMicrometer);
            try {
                Callable<String> serve = (Callable<String>) withoutMicrometer
                        .loadClass(ServeOnce.class.getName()).getDeclaredConstructor().newInstance();
                assertEquals("Hello World / completed 1 / MBean 1", serve.call());
                assertTrue(withoutMicrometer.loaded.contains(Monitoring.class.getName()));
                assertEquals(List.of(), withoutMicrometer.loaded.stream()
                        .filter(name -> name.startsWith("io.fastcgibridge.monitor.micrometer.")).toList(),
                        "the Micrometer binding is never loaded without Micrometer");
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    /** Remembers every class it defines. */
    private static final class RecordingLoader extends URLClassLoader {
        final Set<String> loaded = ConcurrentHashMap.newKeySet();

        RecordingLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            Class<?> found = super.findClass(name);
            loaded.add(name);
            return found;
        }
    }

    /** The test class path (surefire passes it in a property), less the jars whose path holds one of {@code names}. */
    private static URL[] classPathWithout(String... names) throws MalformedURLException {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            boolean excluded = false;
            for (String name : names) {
                excluded |= entry.contains(name);
            }
            if (!excluded && !entry.isBlank()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
