package io.halley.servlet.deploy;

import io.halley.servlet.CometServlet;
import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;

/** The annotated-subclass way of deploying, as an application would write it. */
@WebServlet(name = "halley", urlPatterns = "/halley/*", asyncSupported = true, loadOnStartup = 1,
        initParams = @WebInitParam(name = "maxPagesPerSession", value = "3"))
public class AnnotatedComet extends CometServlet {
}
