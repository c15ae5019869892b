/**
 * Study outputs on any Hadoop file system, and the one owner of their schemas: the study directory
 * with atomically committed rounds ({@link dev.caviar.report.StudyDirectory}); each table's columns
 * declared once ({@link dev.caviar.report.TrialTable}, {@link dev.caviar.report.ReplicateTable})
 * and made into CSV, JSON and the flat form that {@code spark} writes as Parquet; the other files
 * ({@link dev.caviar.report.RegionFile}, {@link dev.caviar.report.BestFile}, {@link
 * dev.caviar.report.StudyFiles}); readers that give them back as records ({@link
 * dev.caviar.report.StudyResults}); and the self-contained HTML report drawn from those records
 * ({@link dev.caviar.report.StudyReport}: data, charts and markup in separate classes).
 */
package dev.caviar.report;
