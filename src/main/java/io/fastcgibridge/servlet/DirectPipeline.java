package io.fastcgibridge.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The pipeline without events: a static file is served, a script forwarded, the rest refused. */
final class DirectPipeline implements RequestPipeline {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Worker worker) throws IOException {
        Resolution resolution = worker.resolve(request);
        if (resolution instanceof Resolution.Script script) {
            worker.forward(request, response, script, result -> { });
        } else {
            worker.answer(request, response, resolution);
        }
    }
}
