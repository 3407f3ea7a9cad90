package io.halley.servlet;

import io.halley.testing.TestServer;
import io.halley.testing.http2.Http2Mode;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;

/**
 * The two containers the servlet tests run on: the kit's Jetty {@link TestServer} and a
 * {@link TomcatTestServer}, both serving the {@link CometServlet} at {@code /app/halley/*} with
 * sessions and the {@link HalleySessionListener}.
 *
 * <p>{@link #JETTY} is Jetty 12's ee10 environment (Servlet 6.0), unless the system property
 * {@code halley.test.jettyEnvironment} is {@code ee11}: then it is Jetty 12.1's ee11 environment
 * (Servlet 6.1), served by {@code JettyEe11TestServer}, which only the {@code servlet-ee11-tests}
 * module compiles (its classes need the 6.1 API), so it is loaded by name.
 */
public enum Container {
    JETTY, TOMCAT;

    /** The context path of the web application in the servlet tests. */
    public static final String CONTEXT = "/app";

    /**
     * The containers to run on: all, or those named in the system property
     * {@code halley.test.containers} (comma-separated), as the Tomcat 11 run of the matrix sets it.
     */
    public static java.util.List<Container> tested() {
        String only = System.getProperty("halley.test.containers", "");
        if (only.isBlank()) return java.util.List.of(values());
        java.util.List<Container> out = new java.util.ArrayList<>();
        for (String n : only.split(",")) out.add(valueOf(n.trim()));
        return out;
    }

    /** The Jetty environment {@link #JETTY} starts: {@code ee10} (the default) or {@code ee11}. */
    public static String jettyEnvironment() {
        return System.getProperty("halley.test.jettyEnvironment", "ee10");
    }

    /** A server on a random port with a plain {@link CometServlet} and {@code params}. */
    public static TestServer start(Container c, Map<String, String> params) throws Exception {
        return start(c, new CometServlet(), params, Map.of());
    }

    /** A server on a random port with {@code servlet}, its init-params and extra servlets by path. */
    public static TestServer start(Container c, CometServlet servlet, Map<String, String> params,
                                   Map<String, HttpServlet> extra) throws Exception {
        if (c == TOMCAT) return new TomcatTestServer(servlet, CONTEXT, params, extra);
        if (jettyEnvironment().equals("ee11")) {
            return (TestServer) Class.forName("io.halley.servlet.JettyEe11TestServer")
                    .getDeclaredConstructor(CometServlet.class, String.class, Map.class, Map.class)
                    .newInstance(servlet, CONTEXT, params, extra);
        }
        TestServer.Builder b = TestServer.jetty().contextPath(CONTEXT).servlet(servlet).initParams(params);
        extra.forEach(b::servlet);
        return b.start();
    }

    /**
     * A server on a random port with {@code servlet} and {@code params}, its port speaking
     * {@code mode} (h2c, or h2 over TLS with the kit's self-signed certificate).
     */
    public static TestServer start(Container c, Http2Mode mode, CometServlet servlet, Map<String, String> params) throws Exception {
        if (c == TOMCAT) return new TomcatTestServer(servlet, CONTEXT, params, Map.of(), ctx -> { }, mode);
        if (jettyEnvironment().equals("ee11")) {
            return (TestServer) Class.forName("io.halley.servlet.JettyEe11TestServer")
                    .getDeclaredConstructor(CometServlet.class, String.class, Map.class, Map.class, Http2Mode.class)
                    .newInstance(servlet, CONTEXT, params, Map.of(), mode);
        }
        return TestServer.jetty().contextPath(CONTEXT).http2(mode).servlet(servlet).initParams(params).start();
    }

    /** A Jetty server on {@code port} (0 for a random one), e.g. to restart on the port of a stopped one. */
    public static TestServer startJetty(int port, Map<String, String> params) throws Exception {
        return TestServer.jetty().contextPath(CONTEXT).port(port).initParams(params).start();
    }
}
