/**
 * The results of a run: the Markdown and HTML report, charts, and the targets it is judged by.
 */
package io.halley.bench.report;
