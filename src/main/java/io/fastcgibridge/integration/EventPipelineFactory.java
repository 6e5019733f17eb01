package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import io.fastcgibridge.servlet.RequestPipeline;
import io.fastcgibridge.servlet.RequestPipelineFactory;
import io.fastcgibridge.servlet.ThreadNames;
import jakarta.servlet.ServletContext;

/**
 * Gives every {@code FastCgiServlet} the pipeline that fires events, inside its web application; found
 * by {@link java.util.ServiceLoader}.
 */
public final class EventPipelineFactory implements RequestPipelineFactory {

    @Override
    public RequestPipeline create(ServletContext context) {
        EventDispatcher events = Dispatchers.forContext(context);
        EventPipeline pipeline = new EventPipeline(events,
                new CompletionEvents(ThreadNames.of(context), CompletionDelivery.of(events)), context);
        return new WebApplicationPipeline(pipeline, context);
    }
}
