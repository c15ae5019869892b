/**
 * Study outputs on any Hadoop file system: the study directory with atomically committed rounds,
 * the result tables as CSV and JSON, and the self-contained HTML report drawn from them ({@link
 * dev.caviar.report.StudyReport}).
 */
package dev.caviar.report;
