/**
 * The demo web app and its embedded Jetty launcher (work in progress: see the demo issue).
 */
package io.halley.demo;
