/**
 * The results of a run: the Markdown and HTML report, charts, the statistics of each cell's trials
 * ({@link io.halley.bench.report.Trials}: median, range, spread flag), and the targets it is judged by.
 */
package io.halley.bench.report;
