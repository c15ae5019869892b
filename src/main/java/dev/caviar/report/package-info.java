/**
 * Study outputs on any Hadoop file system: the study directory with atomically committed rounds,
 * and the result tables as CSV and JSON.
 */
package dev.caviar.report;
