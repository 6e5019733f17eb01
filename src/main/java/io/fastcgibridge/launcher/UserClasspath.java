package io.fastcgibridge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jars and class folders given with {@code serve --classpath}: a class loader over them, and
 * the classes CDI should take from those without a {@code beans.xml} (which CDI would not
 * discover): classes with a scope annotation or an observer method.
 */
final class UserClasspath {

    private final List<Path> entries;
    private final URLClassLoader loader;

    private UserClasspath(List<Path> entries, URLClassLoader loader) {
        this.entries = entries;
        this.loader = loader;
    }

    /** Parses {@code PATH[:PATH...]} values; every entry must exist. */
    static UserClasspath of(List<String> values, ClassLoader parent) {
        List<Path> entries = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(java.io.File.pathSeparator)) {
                if (part.isBlank()) {
                    continue;
                }
                Path entry = Path.of(part).toAbsolutePath();
                if (!Files.exists(entry)) {
                    throw new IllegalArgumentException("classpath: " + entry + " does not exist");
                }
                entries.add(entry);
            }
        }
        URL[] urls = entries.stream().map(UserClasspath::url).toArray(URL[]::new);
        return new UserClasspath(List.copyOf(entries), new URLClassLoader("serve-classpath", urls, parent));
    }

    ClassLoader loader() {
        return loader;
    }

    /** Whether some entry is a bean archive that CDI discovers by its {@code META-INF/beans.xml}. */
    boolean hasBeanArchive() {
        return loader.findResource("META-INF/beans.xml") != null;
    }

    /** Bean classes from the entries that have no {@code META-INF/beans.xml}. */
    List<Class<?>> undiscoveredBeans() {
        List<Class<?>> beans = new ArrayList<>();
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                collect(entry, beans);
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(entry)) {
                    collect(jar.getPath("/"), beans);
                } catch (IOException e) {
                    throw new UncheckedIOException("classpath: cannot read " + entry, e);
                }
            }
        }
        return beans;
    }

    private void collect(Path root, List<Class<?>> beans) {
        if (Files.exists(root.resolve("META-INF/beans.xml"))) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.toString().endsWith(".class") && !file.toString().endsWith("module-info.class"))
                    .map(file -> root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(this::load)
                    .filter(type -> type != null && isBean(type))
                    .forEach(beans::add);
        } catch (IOException e) {
            throw new UncheckedIOException("classpath: cannot read " + root, e);
        }
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static boolean isBean(Class<?> type) {
        if (type.isInterface() || type.isAnnotation() || type.isEnum() || Modifier.isAbstract(type.getModifiers())
                || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
            return false;
        }
        for (Annotation annotation : type.getAnnotations()) {
            if (annotation.annotationType().getName().startsWith("jakarta.enterprise.context.")) {
                return true;
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            for (Parameter parameter : method.getParameters()) {
                if (parameter.isAnnotationPresent(jakarta.enterprise.event.Observes.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("classpath: " + path, e);
        }
    }
}
