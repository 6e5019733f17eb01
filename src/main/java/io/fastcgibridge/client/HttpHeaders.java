package io.fastcgibridge.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable list of HTTP header fields: names compare without regard to case, repeated names
 * keep every value in order, and the original spelling of each name is kept.
 */
public final class HttpHeaders {

    private static final HttpHeaders EMPTY = new HttpHeaders(List.of());

    /** One header line. */
    public record Field(String name, String value) {
        public Field {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty header name");
            }
        }
    }

    private final List<Field> fields;

    private HttpHeaders(List<Field> fields) {
        this.fields = fields;
    }

    /** No headers. */
    public static HttpHeaders empty() {
        return EMPTY;
    }

    /** The given fields, in order. */
    public static HttpHeaders of(List<Field> fields) {
        return fields.isEmpty() ? EMPTY : new HttpHeaders(List.copyOf(fields));
    }

    /** One field per map entry. */
    public static HttpHeaders of(Map<String, String> fields) {
        List<Field> list = new ArrayList<>(fields.size());
        fields.forEach((name, value) -> list.add(new Field(name, value)));
        return of(list);
    }

    /** Every field, in order. */
    public List<Field> fields() {
        return fields;
    }

    /** The first value of the named field. */
    public Optional<String> first(String name) {
        for (Field field : fields) {
            if (field.name.equalsIgnoreCase(name)) {
                return Optional.of(field.value);
            }
        }
        return Optional.empty();
    }

    /** Every value of the named field, in order; empty when there is none. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (Field field : fields) {
            if (field.name.equalsIgnoreCase(name)) {
                values.add(field.value);
            }
        }
        return values;
    }

    /** Whether a field of that name is present. */
    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /** A copy with one more field at the end. */
    public HttpHeaders with(String name, String value) {
        List<Field> list = new ArrayList<>(fields);
        list.add(new Field(name, value));
        return new HttpHeaders(List.copyOf(list));
    }

    /** A copy without any field of that name. */
    public HttpHeaders without(String name) {
        return of(fields.stream().filter(field -> !field.name.equalsIgnoreCase(name)).toList());
    }

    /** The number of fields. */
    public int size() {
        return fields.size();
    }

    /** The CGI form of a header name: {@code X-Forwarded-For} becomes {@code HTTP_X_FORWARDED_FOR}. */
    public static String cgiName(String name) {
        return "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpHeaders headers && headers.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
