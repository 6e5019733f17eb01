package io.fastcgibridge.servlet;

import jakarta.servlet.ServletContext;

/** Supplies a {@link RequestPipeline}; found with {@link java.util.ServiceLoader}. */
public interface RequestPipelineFactory {

    RequestPipeline create(ServletContext context);
}
