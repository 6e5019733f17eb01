package io.fastcgibridge.event;

import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.ForwardResult;
import io.fastcgibridge.servlet.Resolution;
import io.fastcgibridge.servlet.Worker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a {@link RequestEvent} does with its request: a servlet's {@link Worker} in the bridge, or
 * nothing at all in tests. Kept out of observers' reach, so that they cannot forward or answer past
 * the event's own bookkeeping.
 */
interface RequestHandling {

    Resolution resolve(HttpServletRequest request);

    BridgeConfig config();

    void serveFile(HttpServletRequest request, HttpServletResponse response, Path file) throws IOException;

    void answer(HttpServletRequest request, HttpServletResponse response, Resolution resolution) throws IOException;

    void forward(HttpServletRequest request, HttpServletResponse response, Resolution.Script script)
            throws IOException;

    static RequestHandling of(Worker worker, Consumer<ForwardResult> whenForwarded) {
        return new RequestHandling() {
            @Override
            public Resolution resolve(HttpServletRequest request) {
                return worker.resolve(request);
            }

            @Override
            public BridgeConfig config() {
                return worker.config();
            }

            @Override
            public void serveFile(HttpServletRequest request, HttpServletResponse response, Path file)
                    throws IOException {
                worker.serveStatic(request, response, file);
            }

            @Override
            public void answer(HttpServletRequest request, HttpServletResponse response, Resolution resolution)
                    throws IOException {
                worker.answer(request, response, resolution);
            }

            @Override
            public void forward(HttpServletRequest request, HttpServletResponse response, Resolution.Script script)
                    throws IOException {
                worker.forward(request, response, script, whenForwarded);
            }
        };
    }

    /** For tests: resolves to {@code resolution}, and serves, answers and forwards nothing. */
    static RequestHandling recording(Resolution resolution, BridgeConfig config) {
        return new RequestHandling() {
            @Override
            public Resolution resolve(HttpServletRequest request) {
                return resolution;
            }

            @Override
            public BridgeConfig config() {
                if (config == null) {
                    throw new IllegalStateException("no configuration given to RequestEvent.builder()");
                }
                return config;
            }

            @Override
            public void serveFile(HttpServletRequest request, HttpServletResponse response, Path file) {
            }

            @Override
            public void answer(HttpServletRequest request, HttpServletResponse response, Resolution answer) {
            }

            @Override
            public void forward(HttpServletRequest request, HttpServletResponse response, Resolution.Script script) {
            }
        };
    }
}
