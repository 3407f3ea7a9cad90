package io.halley.servlet;

import io.halley.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.catalina.core.StandardContext;

/** Opens {@link TomcatTestServer} (package-private) to the tests of other packages. */
public final class TomcatAccess {
    private TomcatAccess() {
    }

    /** A Tomcat test server; {@code customizer} changes the context before it starts. */
    public static TestServer start(CometServlet servlet, String contextPath, Map<String, String> params,
                                   Map<String, HttpServlet> extra, Consumer<StandardContext> customizer) throws Exception {
        return new TomcatTestServer(servlet, contextPath, params, extra, customizer);
    }
}
