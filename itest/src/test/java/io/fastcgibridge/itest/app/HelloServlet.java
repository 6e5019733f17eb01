package io.fastcgibridge.itest.app;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Deployed in the WARs only: the application's own servlet, answered in Java with a CDI bean. */
public class HelloServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Visit visit;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("Hello from Java, visit " + visit.id() + "\n");
    }
}
